//! `aimsdoc build --pdf`: prints the staged `print.html` to `manual.pdf` with a headless
//! Chromium. The PDF is written inside the staging folder, before it is swapped in, so it is
//! never written outside the output folder and a failed PDF leaves the previous output as it
//! was. Chromium turns the table of contents into PDF links and the headings into bookmarks
//! (`--generate-pdf-document-outline`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The site path of the PDF.
pub const PATH: &str = "manual.pdf";

/// Names tried on `PATH`, in order.
pub const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long Chromium may take before the build gives up.
const TIMEOUT: Duration = Duration::from_secs(900);

/// Why no PDF was made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No browser found.
    #[error("--pdf needs a headless Chromium, and none of {} is on PATH (or set AIMSDOC_CHROMIUM to its path). Install one, e.g. `apt-get install chromium` on Debian or Ubuntu, `brew install --cask chromium` on macOS, or Google Chrome; or build without --pdf and print print.html from a browser", BROWSERS.join(", "))]
    NoBrowser,
    /// Chromium could not be started or failed.
    #[error("{browser} failed to print {html} to PDF: {why}")]
    Failed {
        /// The browser run.
        browser: PathBuf,
        /// The page.
        html: PathBuf,
        /// What happened.
        why: String,
    },
}

/// Finds Chromium: `AIMSDOC_CHROMIUM` if set, else the first of [`BROWSERS`] on `PATH`.
pub fn find_browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("AIMSDOC_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    BROWSERS.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Prints `html` (a file) to `pdf` with `browser`. Uses a fresh, temporary browser profile.
pub fn print(browser: &Path, html: &Path, pdf: &Path) -> Result<(), PdfError> {
    let fail = |why: String| PdfError::Failed {
        browser: browser.to_path_buf(),
        html: html.to_path_buf(),
        why,
    };
    let html_abs = crate::output::absolute(html).map_err(|e| fail(e.to_string()))?;
    let profile = std::env::temp_dir().join(format!("aimsdoc-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    // Chromium's log goes to a file, so a chatty browser can never block on a full pipe.
    let log = profile.with_extension("log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| fail(format!("{}: {e}", log.display())))?;
    let url = format!(
        "file://{}",
        crate::render::urls::encode_path(&html_abs.to_string_lossy())
    );
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file))
        .spawn()
        .map_err(|e| fail(format!("cannot start it: {e}")))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(fail(format!("no PDF after {} s", TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => break Err(fail(e.to_string())),
        }
    };
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_dir_all(&profile);
    let status = status?;
    let written = std::fs::metadata(pdf).is_ok_and(|m| m.len() > 0);
    if status.success() && written {
        Ok(())
    } else {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.contains("dbus") && !l.trim().is_empty())
            .unwrap_or("no output");
        Err(fail(format!("exit status {status}; {last}")))
    }
}
