//! Tables made from other shapes (a spreadsheet's sheet, an API's JSON objects) written as
//! the CSV text the importers read, remembering where each row came from.

use crate::ingest::input::{InputFile, Shape, View};

/// CSV text being written, one record per row, with each data row's origin.
pub(crate) struct TableText {
    text: String,
    rows: Vec<(usize, usize)>,
    header: bool,
}

impl TableText {
    pub fn new() -> TableText {
        TableText { text: String::new(), rows: Vec::new(), header: true }
    }

    /// Writes one record; the first is the header, the others data rows from `origin`.
    pub fn row<'v>(&mut self, origin: usize, values: impl IntoIterator<Item = &'v str>) {
        if self.header {
            self.header = false;
        } else {
            self.rows.push((self.text.len(), origin));
        }
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            field(&mut self.text, value);
        }
        self.text.push('\n');
    }

    pub fn finish(self, name: String, shape: Shape) -> InputFile {
        InputFile::with_view(name, self.text, View { rows: self.rows, shape })
    }
}

/// One CSV field, quoted when it must be so that every record stays on one line of fields.
fn field(out: &mut String, value: &str) {
    if value.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for c in value.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}
