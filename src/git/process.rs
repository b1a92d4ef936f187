//! Running the `git` command: always with `-C <dir>`, NUL-separated output, no pager, no
//! optional locks, and the caller's `GIT_DIR`/`GIT_WORK_TREE`/`GIT_INDEX_FILE` removed so the
//! repository is the one containing the AIMS. Nothing here ever writes to the repository.

pub use super::error::GitError;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use super::id::{Object, ObjectId};

/// Environment variables that would redirect git away from `-C <dir>`.
const REDIRECTING_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
];

/// A git repository found from a folder inside its work tree.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top of the work tree.
    pub top: PathBuf,
    /// The AIMS root relative to `top`, `/`-separated, with a trailing `/` (empty at the top).
    pub prefix: String,
    /// The clone is shallow: history may be cut short.
    pub shallow: bool,
    /// `HEAD`'s commit (`None` before the first commit).
    pub head: Option<ObjectId>,
}

/// A `git` command in `dir` with a clean environment.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "-c", "log.showSignature=false"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    for v in REDIRECTING_ENV {
        c.env_remove(v);
    }
    c
}

/// Runs git in `dir` and returns its standard output.
pub fn run(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(GitError::Missing)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// Runs git and returns its output as (lossy) UTF-8 text.
pub fn run_text(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    run(dir, args).map(|b| String::from_utf8_lossy(&b).into_owned())
}

impl Repo {
    /// Finds the repository whose work tree contains `dir`.
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        let mut args = vec![
            "rev-parse",
            "--show-toplevel",
            "--show-prefix",
            "--is-shallow-repository",
            "HEAD",
        ];
        let text = match run_text(dir, &args) {
            Ok(t) => t,
            Err(GitError::Failed { stderr, .. }) if stderr.contains("not a git repository") => {
                return Err(GitError::NotARepo(dir.to_path_buf()))
            }
            Err(GitError::Failed { .. }) => {
                // No commit yet: HEAD names nothing.
                args.pop();
                run_text(dir, &args)?
            }
            Err(e) => return Err(e),
        };
        let mut lines = text.lines();
        let top = lines
            .next()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| GitError::NotARepo(dir.to_path_buf()))?;
        let prefix = lines.next().unwrap_or("").to_string();
        let shallow = lines.next() == Some("true");
        let head = lines.next().and_then(|l| ObjectId::parse(l).ok());
        Ok(Repo {
            top: PathBuf::from(top),
            prefix,
            shallow,
            head,
        })
    }

    /// Runs git at the top of the work tree.
    pub fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        run(&self.top, args)
    }

    /// The commit a revision names (`HEAD`, a tag), or `None` when it names none.
    pub fn commit_of(&self, rev: &str) -> Option<ObjectId> {
        self.object_id(&format!("{rev}^{{commit}}"))
    }

    /// The id of the AIMS folder's tree at `commit`, or `None` when the folder is absent there.
    pub fn tree_of(&self, commit: &ObjectId) -> Option<ObjectId> {
        let prefix = self.prefix.trim_end_matches('/');
        self.object_id(&format!("{commit}:{prefix}"))
    }

    /// The object `spec` names (`git rev-parse --verify`), `None` when it names none.
    fn object_id(&self, spec: &str) -> Option<ObjectId> {
        let out = run_text(&self.top, &["rev-parse", "--verify", "--quiet", spec]).ok()?;
        ObjectId::parse(out.trim()).ok()
    }
}

/// One long-running `git cat-file --batch` process reading objects by id.
pub struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    /// Starts `git cat-file --batch` in `dir`.
    pub fn start(dir: &Path) -> Result<CatFile, GitError> {
        let mut child = command(dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::Missing)?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| GitError::Parse("no stdin".into()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| GitError::Parse("no stdout".into()))?;
        Ok(CatFile {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The id and kind of one object (`<commit>:<path>` works), `None` when missing.
    pub fn info(&mut self, name: &str) -> Result<Option<Object>, GitError> {
        writeln!(self.stdin, "{name}")?;
        self.stdin.flush()?;
        Ok(read_answer(&mut self.stdout)?.map(|a| a.object))
    }

    /// The id and kind of many objects, asked for all at once (`None` when missing).
    pub fn info_many(&mut self, names: &[String]) -> Result<Vec<Option<Object>>, GitError> {
        Ok(self
            .ask_many(names)?
            .into_iter()
            .map(|a| a.map(|a| a.object))
            .collect())
    }

    /// The contents of many objects, asked for all at once (one round trip instead of one per
    /// object): a thread writes the ids while this one reads the answers.
    pub fn read_many(&mut self, ids: &[ObjectId]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
        Ok(self
            .ask_many(ids)?
            .into_iter()
            .map(|a| a.map(|a| a.contents))
            .collect())
    }

    /// Id, kind and contents of many objects, asked for all at once.
    fn ask_many<N: AsRef<str> + Sync>(
        &mut self,
        names: &[N],
    ) -> Result<Vec<Option<Answer>>, GitError> {
        let (stdin, stdout) = (&mut self.stdin, &mut self.stdout);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let mut w = std::io::BufWriter::new(stdin);
                for name in names {
                    writeln!(w, "{}", name.as_ref())?;
                }
                w.flush()
            });
            let mut out = Vec::with_capacity(names.len());
            for _ in names {
                out.push(read_answer(stdout)?);
            }
            writer
                .join()
                .map_err(|_| GitError::Parse("writer thread failed".into()))??;
            Ok(out)
        })
    }

    /// The contents of one object (`None` when git does not have it).
    pub fn read(&mut self, id: &ObjectId) -> Result<Option<Vec<u8>>, GitError> {
        writeln!(self.stdin, "{id}")?;
        self.stdin.flush()?;
        Ok(read_answer(&mut self.stdout)?.map(|a| a.contents))
    }
}

/// One `cat-file --batch` answer.
struct Answer {
    object: Object,
    contents: Vec<u8>,
}

/// Reads one `cat-file --batch` answer: a header line (`<id> <kind> <size>`, or
/// `<name> missing`/`<name> ambiguous`), then the contents and a newline. The contents are
/// read whenever the size can be, so a header with an id or kind that is not git's leaves
/// the next answer where it should be.
fn read_answer(stdout: &mut impl BufRead) -> Result<Option<Answer>, GitError> {
    let mut header = String::new();
    stdout.read_line(&mut header)?;
    let header = header.trim_end();
    if header.ends_with(" missing") || header.ends_with(" ambiguous") || header.is_empty() {
        return Ok(None);
    }
    let mut f = header.split(' ');
    let (Some(id), Some(kind), Some(size), None) = (f.next(), f.next(), f.next(), f.next()) else {
        return Err(GitError::Parse(header.to_string()));
    };
    // The contents and the newline after them.
    let len = size
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| GitError::Parse(header.to_string()))?;
    let mut contents = vec![0; len];
    stdout.read_exact(&mut contents)?;
    contents.pop();
    let object = Object {
        id: ObjectId::parse(id)?,
        kind: kind.parse()?,
    };
    Ok(Some(Answer { object, contents }))
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Splits NUL-terminated output into its fields (the empty tail dropped).
pub fn nul_fields(out: &[u8]) -> impl Iterator<Item = &[u8]> {
    let out = out.strip_suffix(b"\0").unwrap_or(out);
    out.split(|&b| b == 0).filter(move |_| !out.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::ObjectKind;

    const BLOB: &str = "ce013625030ba8dba906f756967f9e9ca394464a";

    fn answers(stream: &str) -> Vec<Result<Option<Answer>, GitError>> {
        let mut r = std::io::Cursor::new(stream.as_bytes().to_vec());
        let mut out = Vec::new();
        while (r.position() as usize) < stream.len() {
            out.push(read_answer(&mut r));
        }
        out
    }

    #[test]
    fn answers_carry_a_checked_id_and_kind() {
        let got = answers(&format!(
            "{BLOB} blob 6\nhello\n\nHEAD:a b missing\nab ambiguous\n"
        ));
        let Ok(Some(a)) = &got[0] else {
            panic!("{:?}", got[0].as_ref().err())
        };
        assert_eq!(a.object.id.as_str(), BLOB);
        assert_eq!(a.object.kind, ObjectKind::Blob);
        assert_eq!(a.contents, b"hello\n");
        assert!(matches!(got[1], Ok(None)), "a missing name with a space");
        assert!(matches!(got[2], Ok(None)));
    }

    #[test]
    fn an_answer_that_is_not_git_s_is_an_error_and_the_next_one_still_reads() {
        let got = answers(&format!(
            "{BLOB} widget 2\nhi\nnot-an-id tree 0\n\n{BLOB} tree 0\n\n{BLOB} blob x\n"
        ));
        assert!(matches!(got[0], Err(GitError::Parse(_))));
        assert!(matches!(got[1], Err(GitError::Parse(_))));
        let Ok(Some(a)) = &got[2] else {
            panic!("the third answer reads")
        };
        assert_eq!(a.object.kind, ObjectKind::Tree);
        assert!(matches!(got[3], Err(GitError::Parse(_))));
    }
}
