//! Small helpers that every stage may use and that belong to none: stage timings for
//! benchmarking.

use std::time::Instant;

/// Prints how long a stage took when `AIMSDOC_TIMINGS` is set (for benchmarking).
pub fn stage_timer(stage: &str, since: &mut Instant) {
    if std::env::var_os("AIMSDOC_TIMINGS").is_some() {
        // Resident memory from /proc (Linux); absent elsewhere.
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| {
                format!(", rss {} MB", pages * 4096 / (1 << 20))
            });
        eprintln!(
            "timing: {stage:<8} {:>8.1} ms{rss_mb}",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
    *since = Instant::now();
}
