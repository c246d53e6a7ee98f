//! `.npz`: a zip archive of `.npy` files, one per named array (`np.savez`, stored, and
//! `np.savez_compressed`, deflated).

use super::element::Array;
use super::read::read_array;
use crate::error::{NnError, Result};
use crate::files::write_atomically;
use std::io::{Cursor, Write};
use std::path::Path;

/// The most bytes one array of an archive may hold once inflated (a deflate bomb stops here).
pub const MAX_NPZ_ENTRY: u64 = 4 << 30;

fn bad(path: &Path, reason: impl Into<String>) -> NnError {
    NnError::Format { path: path.to_path_buf(), reason: reason.into() }
}

/// Every array in a `.npz` archive, by name (`x` for the member `x.npy`), in archive order.
pub fn read_npz(path: impl AsRef<Path>) -> Result<Vec<(String, Array)>> {
    let path = path.as_ref();
    let file =
        std::fs::File::open(path).map_err(|source| NnError::Io { path: path.to_path_buf(), source })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| bad(path, format!("not a .npz (zip) archive: {e}")))?;
    let mut out = Vec::with_capacity(zip.len().min(1024));
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| bad(path, format!("member {i}: {e}")))?;
        let member = entry.name().map_err(|e| bad(path, format!("member {i}: {e}")))?.to_string();
        let Some(name) = member.strip_suffix(".npy") else {
            return Err(bad(path, format!("member {member:?} is not a .npy file")));
        };
        let name = name.to_string();
        let size = entry.size().min(MAX_NPZ_ENTRY);
        let inner = path.join(&member);
        let array = read_array(std::io::Read::take(entry, MAX_NPZ_ENTRY), Some(size), &inner)?;
        out.push((name, array));
    }
    Ok(out)
}

/// Writes named arrays as a `.npz` archive, deflated when `compressed` (as
/// `np.savez_compressed`), else stored (as `np.savez`).
pub fn write_npz(path: impl AsRef<Path>, arrays: &[(&str, Array)], compressed: bool) -> Result<()> {
    let path = path.as_ref();
    let fail = |e: String| bad(path, e);
    let method = if compressed { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = zip::write::SimpleFileOptions::default().compression_method(method).large_file(true);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut bytes = Vec::new();
    for (name, array) in arrays {
        bytes.clear();
        array.write_to(&mut bytes).map_err(|e| fail(format!("{name}: {e}")))?;
        zip.start_file(format!("{name}.npy"), options).map_err(|e| fail(format!("{name}: {e}")))?;
        zip.write_all(&bytes).map_err(|e| fail(format!("{name}: {e}")))?;
    }
    let archive = zip.finish().map_err(|e| fail(e.to_string()))?.into_inner();
    write_atomically(path, &archive)
}
