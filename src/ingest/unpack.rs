//! Bytes into texts, in the ingest layer: files and standard input (`-`), gzip and zip
//! archives, spreadsheets and ACLED's API answers, each read in memory (nothing is ever
//! unpacked to disk) and handed on as the text the readers read; a large plain CSV file is
//! not read here but opened to be read in place as it is parsed (`ingest::tape`). Positions in messages stay
//! true to what the user holds: a gzip's decompressed text, `archive.zip:inner.csv`,
//! `file.xlsx:Sheet:row:column`, the API answer's JSON.

use std::io::{Cursor, Read};
use std::path::Path;

use crate::domain::text::clean;
use crate::ingest::import::{api, xlsx};
use crate::ingest::input::{Diagnostic, InputFile, InputFormat, LoadOptions, input_from_bytes};
use crate::ingest::tape::OnDisk;

/// The name that reads standard input.
pub const STDIN: &str = "-";

/// How deep archives may nest (a zip of gzips is fine; a zip of zips of zips is not data).
const MAX_DEPTH: usize = 3;

/// Data files an archive may hold; other entries (a codebook's PDF, a README) are passed over.
const DATA_ENTRIES: [&str; 10] = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "gz", "zip", "xlsx", "xlsm"];

fn fail(name: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { file: name.to_string(), line: 1, column: 1, message: message.into() }
}

/// A size for people: `512 MiB`, `4 GiB`.
#[must_use]
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads a size as people write it: `4G`, `512M`, `100k`, `1000` (bytes); binary units.
///
/// # Errors
/// What is wrong, and how to write it.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().trim_end_matches(['b', 'i']) {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{text}` is not a size; write it as 512M, 4G or a number of bytes")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a size; write it as 512M, 4G or a number of bytes"))
}

/// The message of an input stopped at the unpacking limit.
fn bomb(limit: u64) -> String {
    format!(
        "expands past {} and was stopped (is it a decompression bomb?); if the file is genuine, raise the limit: \
         --max-unpacked {}",
        human_size(limit),
        human_size(limit.saturating_mul(4))
    )
}

/// Reads what `path` names: a file, or standard input for `-`; `file.xlsx:Sheet` picks a
/// sheet. A zip may hold several files: each is one input.
///
/// # Errors
/// Missing, unreadable, empty, not UTF-8, or an archive that cannot be read or expands past
/// the limit: one line, saying what to do.
pub fn read_path(path: &Path, options: LoadOptions) -> Result<Vec<InputFile>, Diagnostic> {
    if path.as_os_str() == STDIN {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes).map_err(|e| fail("stdin", format!("cannot read: {e}")))?;
        return decode("stdin", bytes, options, None, 0);
    }
    let (path, sheet) = split_sheet(path);
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            &name,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such file; check the path".to_string(),
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied; make the file readable (chmod +r)".to_string()
                }
                _ => format!("cannot open: {e}"),
            },
        )
    })?;
    if meta.is_dir() {
        return Err(fail(&name, "is a directory; name the situation files inside it instead"));
    }
    if sheet.is_none()
        && meta.len() >= options.in_place_from
        && let Some(input) = in_place(path, &name, meta.len(), options)
    {
        return Ok(vec![input]);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(
            &name,
            match e.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied; make the file readable (chmod +r)".to_string()
                }
                _ => format!("cannot read: {e}"),
            },
        )
    })?;
    decode(&name, bytes, options, sheet.as_deref(), 0)
}

/// A large plain CSV file (ACLED, UCDP), to be read from disk as it is parsed; `None` for
/// anything else (compressed, a spreadsheet, JSON), which is read whole.
fn in_place(path: &Path, name: &str, len: u64, options: LoadOptions) -> Option<InputFile> {
    let mut head = Vec::new();
    std::fs::File::open(path).ok()?.take(64 << 10).read_to_end(&mut head).ok()?;
    if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(b"PK") {
        return None;
    }
    // A byte-order mark is not content.
    let skip = if head.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    let bytes = &head[skip..];
    // A head that is not UTF-8 (but for a character cut at its end) is refused by the
    // whole read, which says where.
    let good = match std::str::from_utf8(bytes) {
        Ok(text) => text.len(),
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => return None,
    };
    let text = std::str::from_utf8(&bytes[..good]).ok()?;
    let format = match options.format {
        InputFormat::Auto => crate::ingest::input::detect_format(name, text),
        other => other,
    };
    if !matches!(format, InputFormat::Acled | InputFormat::Ucdp) {
        return None;
    }
    let len = usize::try_from(len - skip as u64).ok()?;
    let disk = OnDisk::open(path.to_path_buf(), skip as u64, len).ok()?;
    Some(InputFile::on_disk(name, disk, format))
}

/// `book.xlsx:Sheet 2` as the file and the sheet, when no file has the whole name.
fn split_sheet(path: &Path) -> (&Path, Option<String>) {
    let Some(text) = path.to_str() else { return (path, None) };
    if path.exists() {
        return (path, None);
    }
    match text.rsplit_once(':') {
        Some((file, sheet)) if !sheet.is_empty() && Path::new(file).is_file() => (Path::new(file), Some(sheet.into())),
        _ => (path, None),
    }
}

/// Turns the bytes of one input into the texts to read, unpacking as the content says.
///
/// # Errors
/// As [`read_path`].
pub fn decode(
    name: &str,
    bytes: Vec<u8>,
    options: LoadOptions,
    sheet: Option<&str>,
    depth: usize,
) -> Result<Vec<InputFile>, Diagnostic> {
    if depth > MAX_DEPTH {
        return Err(fail(name, "archives nested more than three deep; unpack the outer ones first"));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let text = gunzip(name, &bytes, options.max_unpacked)?;
        drop(bytes);
        return decode(name, text, options, sheet, depth + 1);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return unzip(name, bytes, options, sheet, depth);
    }
    if sheet.is_some() {
        return Err(fail(name, "is not a spreadsheet (.xlsx), so it has no sheets; name the file alone"));
    }
    let input = input_from_bytes(name.to_string(), bytes)?;
    if matches!(options.format, InputFormat::Auto | InputFormat::Acled) && api::looks_like(&input.text) {
        return api::to_table(input).map(|table| vec![table]);
    }
    Ok(vec![input])
}

/// The decompressed bytes of a gzip stream (several members read as one, as `zcat` does).
fn gunzip(name: &str, bytes: &[u8], limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit as usize));
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    decoder.take(limit.saturating_add(1)).read_to_end(&mut out).map_err(|e| {
        fail(name, format!("is not a gzip file sitdash can read ({e}); is it truncated? try `gzip -t` on it"))
    })?;
    if out.len() as u64 > limit {
        return Err(fail(name, bomb(limit)));
    }
    Ok(out)
}

/// The data files in a zip, each an input named `archive.zip:inner.csv`; a spreadsheet is
/// read as its sheet.
fn unzip(
    name: &str,
    bytes: Vec<u8>,
    options: LoadOptions,
    sheet: Option<&str>,
    depth: usize,
) -> Result<Vec<InputFile>, Diagnostic> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice()))
        .map_err(|e| fail(name, format!("is not a zip archive sitdash can read ({e}); is it truncated?")))?;
    let limit = options.max_unpacked;
    if archive.index_for_name("xl/workbook.xml").is_some() {
        let declared: u64 = (0..archive.len())
            .filter_map(|i| archive.by_index_raw(i).ok().map(|e| e.size()))
            .fold(0, u64::saturating_add);
        if declared > limit {
            return Err(fail(name, bomb(limit)));
        }
        drop(archive);
        return xlsx::to_table(name, bytes, sheet).map(|table| vec![table]);
    }
    if sheet.is_some() {
        return Err(fail(name, "is a zip archive, not a spreadsheet, so it has no sheets; name the file alone"));
    }
    let mut inputs = Vec::new();
    let mut passed_over = Vec::new();
    let mut left = limit;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| fail(name, format!("entry {} cannot be read ({e}); unzip it and name the file", i + 1)))?;
        if entry.is_dir() {
            continue;
        }
        // The entry's name is only ever a label: nothing is written where it points.
        let label = clean(&String::from_utf8_lossy(entry.name_raw()));
        let base = label.rsplit('/').next().unwrap_or("");
        let ext = base.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if label.starts_with("__MACOSX/") || base.starts_with('.') || !DATA_ENTRIES.contains(&ext.as_str()) {
            if !label.starts_with("__MACOSX/") && !base.starts_with('.') {
                passed_over.push(label);
            }
            continue;
        }
        let inner = format!("{name}:{label}");
        if entry.size() > left {
            return Err(fail(&inner, bomb(limit)));
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        (&mut entry).take(left.saturating_add(1)).read_to_end(&mut data).map_err(|e| {
            fail(&inner, format!("cannot be unpacked ({e}); sitdash reads stored and deflated entries"))
        })?;
        if data.len() as u64 > left {
            return Err(fail(&inner, bomb(limit)));
        }
        left -= data.len() as u64;
        inputs.extend(decode(&inner, data, options, None, depth + 1)?);
    }
    if inputs.is_empty() {
        return Err(fail(
            name,
            "the zip holds no data file sitdash reads (.csv, .tsv, .json, .jsonl, .xlsx, .gz); unzip it and name the \
             file",
        ));
    }
    if !passed_over.is_empty()
        && let Some(first) = inputs.first_mut()
    {
        first.notes.push(fail(name, format!("passed over entries that are not data: {}", passed_over.join(", "))));
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("10KiB"), Ok(10 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(human_size(4 << 30), "4 GiB");
        assert_eq!(human_size(3 << 20), "3 MiB");
    }
}
