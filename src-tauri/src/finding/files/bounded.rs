//! Reading that stays bounded whatever the input holds: a line reader that keeps at most a
//! record's worth of a line, and a reader that fails when its source holds more than a limit.

use std::io::{self, BufRead, Read};

/// Reads the next line, without its `\n`, into `line`, keeping at most `most` bytes of it so
/// that a line of gigabytes costs no memory; returns the line's whole length, or `None` at the
/// end of the input.
pub(super) fn next_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    most: usize,
) -> io::Result<Option<u64>> {
    line.clear();
    let mut length: u64 = 0;
    let mut started = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            return Ok(started.then_some(length));
        }
        started = true;
        let end = buffer.iter().position(|b| *b == b'\n');
        let chunk = &buffer[..end.unwrap_or(buffer.len())];
        length = length.saturating_add(chunk.len() as u64);
        if length <= most as u64 {
            line.extend_from_slice(chunk);
        } else {
            line.clear();
        }
        let used = chunk.len() + usize::from(end.is_some());
        reader.consume(used);
        if end.is_some() {
            return Ok(Some(length));
        }
    }
}

/// A reader that fails, rather than end quietly as [`Read::take`] would, when its source holds
/// more than its limit: a cut-off file must not pass for a whole one.
pub(super) struct Capped<R> {
    inner: R,
    left: u64,
    over: String,
}

impl<R> Capped<R> {
    /// Reads at most `limit` bytes of `inner`; one more fails with `over` as the reason.
    pub(super) fn new(inner: R, limit: u64, over: String) -> Self {
        Capped {
            inner,
            left: limit,
            over,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: the source is over it when one more byte can be read.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::FileTooLarge,
                    OverLimit(self.over.clone()),
                )),
            };
        }
        let most = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..most])?;
        self.left -= read as u64;
        Ok(read)
    }
}

/// The error of a [`Capped`] reader: the reason the analyst reads.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct OverLimit(String);

/// The reason of a [`Capped`] reader that met more than its limit, if that is the error.
pub(super) fn over_limit(error: &io::Error) -> Option<&OverLimit> {
    error.get_ref()?.downcast_ref::<OverLimit>()
}

/// `bytes` in the unit the limits are set in: `16 MiB`, `1 GiB`, else in bytes.
pub(super) fn human(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    for (unit, name) in [(GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_whole_and_measures_those_over_the_limit_without_keeping_them() {
        let mut input = io::BufReader::with_capacity(4, &b"ab\nabcdefgh\n\nlast"[..]);
        let mut line = Vec::new();
        let mut read = Vec::new();
        while let Some(length) = next_line(&mut input, &mut line, 4).unwrap() {
            read.push((length, String::from_utf8(line.clone()).unwrap()));
        }
        let expected = [(2, "ab"), (8, ""), (0, ""), (4, "last")];
        let expected: Vec<(u64, String)> = expected
            .iter()
            .map(|(n, s)| (*n, (*s).to_owned()))
            .collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn fails_past_the_limit_rather_than_ending_quietly() {
        let mut exact = Capped::new(&b"12345"[..], 5, "over".to_owned());
        let mut all = Vec::new();
        exact.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"12345");

        let mut over = Capped::new(&b"123456"[..], 5, "over five".to_owned());
        let mut some = Vec::new();
        let error = over.read_to_end(&mut some).unwrap_err();
        assert_eq!(some, b"12345");
        assert_eq!(over_limit(&error).unwrap().to_string(), "over five");
    }

    #[test]
    fn writes_sizes_in_the_unit_they_were_set_in() {
        assert_eq!(human(16 << 20), "16 MiB");
        assert_eq!(human(4 << 30), "4 GiB");
        assert_eq!(human(256 << 10), "256 KiB");
        assert_eq!(human(1000), "1000 bytes");
    }
}
