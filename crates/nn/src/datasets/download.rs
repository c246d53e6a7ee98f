//! Verified downloads: each file is fetched into a temporary file beside its destination,
//! checked, and only then renamed into place, so an interrupted or wrong download never leaves a
//! file that looks complete.

use super::mnist::{FILES, read_verified};
use crate::error::{NnError, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest body [`fetch`] accepts (MNIST's largest `.gz` is under 10 MB).
pub const MAX_DOWNLOAD_BYTES: u64 = 64 << 20;

/// Downloads every MNIST file `dir` lacks, from the first of `mirrors` that serves it intact.
pub fn fetch_mnist(dir: &Path, mirrors: &[String], progress: bool) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| NnError::Io { path: dir.to_path_buf(), source })?;
    for file in &FILES {
        let dest = dir.join(format!("{}.gz", file.name));
        if dest.is_file() {
            continue;
        }
        let urls: Vec<String> = mirrors.iter().map(|m| format!("{m}{}.gz", file.name)).collect();
        fetch(&urls, &dest, progress, |tmp| read_verified(tmp, file).map(drop))?;
    }
    Ok(())
}

/// Fetches `dest` from the first URL whose body arrives whole and passes `check` (called on the
/// temporary file). The error lists every URL tried and why it failed.
pub fn fetch(
    urls: &[String],
    dest: &Path,
    progress: bool,
    check: impl Fn(&Path) -> Result<()>,
) -> Result<()> {
    let name = dest.file_name().map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dest.with_file_name(format!(".{name}.part-{}", std::process::id()));
    let mut failures = Vec::new();
    for url in urls {
        let outcome = get(url, &tmp, progress).and_then(|()| check(&tmp));
        match outcome {
            Ok(()) => {
                return std::fs::rename(&tmp, dest)
                    .map_err(|source| NnError::Io { path: dest.to_path_buf(), source });
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                failures.push(format!("{url}: {e}"));
            }
        }
    }
    Err(NnError::Download { path: dest.to_path_buf(), tried: failures })
}

/// One GET of `url` into `tmp`, with the body's length checked against `Content-Length`.
fn get(url: &str, tmp: &Path, progress: bool) -> Result<()> {
    let fail = |reason: String| NnError::Format { path: PathBuf::from(url), reason };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_body(Some(Duration::from_secs(300)))
        .build()
        .into();
    let mut resp = agent.get(url).call().map_err(|e| fail(format!("request failed: {e}")))?;
    let expected = resp.body().content_length();
    if let Some(n) = expected.filter(|&n| n > MAX_DOWNLOAD_BYTES) {
        return Err(fail(format!("{n} bytes is more than the {MAX_DOWNLOAD_BYTES} allowed")));
    }
    let bar = if progress { ProgressBar::new(expected.unwrap_or(0)) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(url.rsplit('/').next().unwrap_or(url).to_string());
    let io = |source| NnError::Io { path: tmp.to_path_buf(), source };
    let mut out = std::fs::File::create(tmp).map_err(io)?;
    let mut body = resp.body_mut().as_reader().take(MAX_DOWNLOAD_BYTES + 1);
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                bar.abandon();
                return Err(fail(format!("connection failed after {total} bytes: {e}")));
            }
        };
        out.write_all(&buf[..n]).map_err(io)?;
        total += n as u64;
        bar.set_position(total);
    }
    bar.finish_and_clear();
    if total > MAX_DOWNLOAD_BYTES {
        return Err(fail(format!("body is longer than the {MAX_DOWNLOAD_BYTES} bytes allowed")));
    }
    if let Some(n) = expected.filter(|&n| n != total) {
        return Err(fail(format!("connection closed after {total} of {n} bytes")));
    }
    out.sync_all().map_err(io)
}
