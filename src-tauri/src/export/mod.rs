//! Writing findings out: CSV for spreadsheets and ticket systems, JSON for scripts.
//!
//! Files are written to a temporary file beside the target and renamed into place, so an
//! export that fails half-way leaves no half-written file, and an existing file is replaced
//! only when the analyst said so.

pub mod csv;
pub mod json;
pub mod summary;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target exists and replacing it was not asked for.
    #[error("{0} already exists: choose another name, or pass --force to replace it")]
    Exists(PathBuf),
    /// Writing failed; nothing was left at the target.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The target file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// Writes a file through `write`, atomically: the content appears at `path` complete or not at
/// all. With `replace` false an existing file is left alone and [`ExportError::Exists`] returned.
///
/// # Errors
///
/// [`ExportError::Exists`], or [`ExportError::Write`] when the folder cannot be written.
pub fn write_atomically(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), ExportError> {
    let failed = |source| ExportError::Write {
        path: path.to_owned(),
        source,
    };
    if !replace && path.exists() {
        return Err(ExportError::Exists(path.to_owned()));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".threat-review-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(failed)?;
    {
        let mut buffered = io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered).map_err(failed)?;
        buffered.flush().map_err(failed)?;
    }
    temp.as_file().sync_all().map_err(failed)?;
    let persisted = if replace {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    persisted.map(drop).map_err(|error| {
        if error.error.kind() == io::ErrorKind::AlreadyExists {
            ExportError::Exists(path.to_owned())
        } else {
            failed(error.error)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_replace_an_existing_file_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "keep me").unwrap();
        let error = write_atomically(&path, false, |w| w.write_all(b"new")).unwrap_err();
        assert!(matches!(error, ExportError::Exists(_)));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
        write_atomically(&path, true, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn leaves_nothing_behind_when_writing_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let error = write_atomically(&path, false, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(error.to_string().contains("disk full"), "{error}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
