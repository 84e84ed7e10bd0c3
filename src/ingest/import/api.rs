//! ACLED's API answers: a whole response (`{"status":200,"success":true,"count":N,
//! "data":[{…}]}`), a bare array of its events, or one event object per line. Each event has
//! the export's column names as keys, with values as strings or numbers; the events become
//! the rows of an ACLED CSV table (keys in order of first appearance as the header), so that
//! they are mapped exactly as the CSV export is. Positions in messages point into the JSON.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::table::TableText;
use crate::ingest::input::{Diagnostic, InputFile, Shape};

/// True when the text is an ACLED API answer or a dump of its events, by its first bytes:
/// JSON whose first object has ACLED's column names, or the API's envelope.
#[must_use]
pub fn looks_like(text: &str) -> bool {
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['{', '[']) {
        return false;
    }
    let mut end = trimmed.len().min(4096);
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    let head = &trimmed[..end];
    head.contains("\"event_id_cnty\"")
        || (head.contains("\"event_date\"") && head.contains("\"fatalities\""))
        || (head.contains("\"success\"") && head.contains("\"status\""))
}

/// The API's envelope; other keys (`last_update`, `messages`, `filename`, …) are ignored.
#[derive(Deserialize)]
struct Response<'a> {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(borrow, default)]
    data: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    messages: Option<Value>,
}

/// One value as the CSV export writes it: strings as they are, numbers in digits, `null` and
/// `false` empty (ACLED's flags are a word or nothing), a list joined with `; `.
fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Null | Value::Bool(false) => String::new(),
        Value::Bool(true) => "true".to_string(),
        Value::Array(items) => items.iter().map(cell).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; "),
        Value::Object(_) => value.to_string(),
    }
}

/// The events of an answer as an ACLED table.
///
/// # Errors
/// JSON that does not parse, an answer that reports failure, or an event that is not an
/// object; each at its place in the JSON.
pub fn to_table(input: InputFile) -> Result<InputFile, Diagnostic> {
    let text = input.text.as_str();
    let base = text.as_ptr() as usize;
    let offset_of = |raw: &RawValue| (raw.get().as_ptr() as usize).saturating_sub(base);
    let mut events: Vec<(usize, Map<String, Value>)> = Vec::new();
    let mut push = |offset: usize, raw: &str| -> Result<(), Diagnostic> {
        match serde_json::from_str::<Map<String, Value>>(raw) {
            Ok(map) => {
                events.push((offset, map));
                Ok(())
            }
            Err(err) if err.is_data() => Err(input.diagnostic(
                offset,
                "this event is not a JSON object; each event of an ACLED API answer is an object of column names",
            )),
            Err(err) => Err(input.serde_diagnostic(offset, &err)),
        }
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let list: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| input.serde_diagnostic(0, &e))?;
        for raw in list {
            push(offset_of(raw), raw.get())?;
        }
    } else if let Ok(response) = serde_json::from_str::<Response<'_>>(text)
        && (response.data.is_some() || response.success.is_some())
    {
        let failed = response.success == Some(false);
        let Some(data) = response.data.filter(|_| !failed) else {
            let status = response.status.as_ref().map(cell).unwrap_or_default();
            let why = response.error.or(response.messages).map(|v| v.to_string()).unwrap_or_default();
            return Err(input.diagnostic(
                0,
                format!(
                    "the ACLED API answered without data (status {status}{}{why}); check the request and its key, \
                     and save the answer again",
                    if why.is_empty() { "" } else { ": " }
                ),
            ));
        };
        for raw in data {
            push(offset_of(raw), raw.get())?;
        }
    } else {
        // One event per line.
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim();
            if body.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            push(start + lead, body)?;
        }
    }

    // Keys in order of first appearance: the export's column order.
    let mut columns: Vec<String> = Vec::new();
    let mut index: super::FastMap<String, usize> = super::FastMap::default();
    for (_, map) in &events {
        for key in map.keys() {
            if !index.contains_key(key) {
                index.insert(key.clone(), columns.len());
                columns.push(key.clone());
            }
        }
    }
    if columns.is_empty() {
        // No events: an empty ACLED table.
        columns = ["event_id_cnty", "event_date", "event_type", "actor1", "location", "fatalities"]
            .map(str::to_string)
            .to_vec();
    }
    let mut table = TableText::new();
    table.row(0, columns.iter().map(String::as_str));
    let mut cells = vec![String::new(); columns.len()];
    for (offset, map) in &events {
        cells.iter_mut().for_each(String::clear);
        for (key, value) in map {
            cells[index[key]] = cell(value);
        }
        table.row(*offset, cells.iter().map(String::as_str));
    }
    drop(events);
    let name = input.name.clone();
    let json = input.text;
    Ok(table.finish(name, Shape::Json { json, columns, lines: std::sync::OnceLock::new() }))
}
