//! `aimsdoc completions SHELL`: a script for each shell that knows every subcommand, and the
//! bash one, loaded into a real bash, completes subcommands, flags and values.

use crate::common;

use std::process::Command;

use common::*;

/// The subcommands `aimsdoc --help` lists, `help` included (so a new one is checked without
/// editing the tests).
pub(crate) fn subcommands() -> Vec<String> {
    let help = aimsdoc(["--help"]).stdout;
    let list: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .expect("--help lists commands")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    for expected in ["build", "check", "completions", "man", "serve"] {
        assert!(list.iter().any(|c| c == expected), "{expected} in {list:?}");
    }
    list
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    let subs = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = aimsdoc(["completions", shell]);
        run.expect_code(0);
        assert!(run.stdout.len() > 1000, "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("aimsdoc"), "{shell}");
        for sub in &subs {
            assert!(
                names_word(&run.stdout, sub),
                "the {shell} script does not name `{sub}`"
            );
        }
    }
}

/// Whether `word` occurs in `text` not as part of a longer word (`man` in `aimsdoc__man`,
/// not in `command`).
fn names_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_shells() {
    let run = aimsdoc(["completions", "tcsh"]);
    run.expect_code(2);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(run.stderr.contains(shell), "{}", run.stderr);
    }
    assert!(run.stdout.is_empty());
}

/// What bash offers for the command line `words` (completing the last word) with the script
/// of `aimsdoc completions bash` loaded.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = aimsdoc(["completions", "bash"]).stdout;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("aimsdoc.bash");
    std::fs::write(&file, script).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let n = words.len();
    let program = format!(
        "set -e; source \"$1\"; COMP_WORDS=({words}); COMP_CWORD={cword}; \
         COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
         _aimsdoc aimsdoc \"${{COMP_WORDS[{cword}]}}\" \"${{COMP_WORDS[{prev}]}}\"; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        cword = n - 1,
        prev = n.saturating_sub(2),
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program, "bash"])
        .arg(&file)
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bash failed: {stderr}");
    assert!(stderr.is_empty(), "bash printed: {stderr}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_subcommands() {
    assert_eq!(bash_complete(&["aimsdoc", "b"]), ["build"]);
    let all = bash_complete(&["aimsdoc", ""]);
    for sub in subcommands() {
        assert!(all.contains(&sub), "`aimsdoc <TAB>` lacks {sub}: {all:?}");
    }
    assert_eq!(bash_complete(&["aimsdoc", "com"]), ["completions"]);
}

#[test]
fn bash_completes_flags_and_their_values() {
    assert_eq!(bash_complete(&["aimsdoc", "check", "--f"]), ["--format"]);
    assert_eq!(
        bash_complete(&["aimsdoc", "check", "--format", ""]),
        ["human", "json", "sarif"]
    );
    let shells = bash_complete(&["aimsdoc", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
    assert_eq!(bash_complete(&["aimsdoc", "man", "--o"]), ["--out"]);
}

/// Whether `shell` runs here (says why not otherwise). With `AIMSDOC_REQUIRE_SHELLS` set
/// (`scripts/precommit-tests.sh` installs zsh and fish and sets it), a missing shell fails.
fn shell_present(shell: &str) -> bool {
    let present = Command::new(shell)
        .args(["-c", "exit 0"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("AIMSDOC_REQUIRE_SHELLS").is_none(),
            "{shell} is not installed"
        );
        eprintln!("SKIPPED {shell} completion test: {shell} not installed");
    }
    present
}

/// The zsh and fish scripts parse in their shell (`zsh -n`, `fish --no-execute`).
#[test]
fn zsh_and_fish_scripts_parse() {
    for (shell, check) in [("zsh", "-n"), ("fish", "--no-execute")] {
        if !shell_present(shell) {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(format!("aimsdoc.{shell}"));
        std::fs::write(&file, aimsdoc(["completions", shell]).stdout).unwrap();
        let out = Command::new(shell)
            .arg(check)
            .arg(&file)
            .output()
            .expect("the shell runs");
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{shell} {check}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// fish, with the script loaded, completes subcommands (with their descriptions) and values.
#[test]
fn fish_completes_subcommands_and_values() {
    if !shell_present("fish") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("aimsdoc.fish");
    std::fs::write(&file, aimsdoc(["completions", "fish"]).stdout).unwrap();
    let complete = |line: &str| -> String {
        let out = Command::new("fish")
            .args(["--no-config", "-c", "source $argv[1]; complete -C $argv[2]"])
            .arg(&file)
            .arg(line)
            .output()
            .expect("fish runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        complete("aimsdoc b").trim(),
        "build\tBuild the manual into an output folder"
    );
    let formats = complete("aimsdoc check --format ");
    for f in ["human", "json", "sarif"] {
        assert!(formats.lines().any(|l| l.starts_with(f)), "{formats}");
    }
}
