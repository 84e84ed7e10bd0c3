//! The house's shape, checked from the source: layers you can see from `ls`, dependencies
//! that point one way (cli and tui → ingest → domain), and no file that imports a file
//! that imports it back. docs/ARCHITECTURE.md describes the same rules in words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a file may use its own layer and those before it.
const LAYERS: [&str; 4] = ["domain", "ingest", "tui", "cli"];

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The module path of a file below `src/`: `src/tui/panes/mod.rs` is `tui::panes`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments, string and char literals, so that a path named
/// in prose is not taken for a use, and a `'"'` does not open a string.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && !prev_ident && (at(i + 1) == '"' || at(i + 1) == '#') {
            let mut j = i + 1;
            while at(j) == '#' {
                j += 1;
            }
            if at(j) != '"' {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            j += 1;
            while j < chars.len() && !(chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#')) {
                j += 1;
            }
            i = j + 1 + hashes;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && at(i + 1) == '\\' {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The module paths a file names: `crate::a::b::c`, `super::x`, and the members of
/// `use crate::a::{b, c::d}` groups (one level of braces is all our code uses).
fn paths_used(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut used = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start).map(|i| i + from) {
            from = at + start.len();
            if at > 0 && is_ident(bytes[at - 1]) {
                continue;
            }
            let mut base: Vec<String> = if start == "super::" {
                let mut m = module.to_vec();
                m.pop();
                m
            } else {
                Vec::new()
            };
            let mut i = from;
            loop {
                let seg_start = i;
                while i < bytes.len() && is_ident(bytes[i]) {
                    i += 1;
                }
                if i > seg_start {
                    base.push(code[seg_start..i].to_string());
                }
                if code[i..].starts_with("::{") {
                    let close = code[i..].find('}').map_or(code.len(), |c| c + i);
                    for member in code[i + 3..close].split(',') {
                        let mut path = base.clone();
                        path.extend(member.split("::").map(|s| s.trim().split(' ').next().unwrap_or("").to_string()));
                        used.push(path);
                    }
                    break;
                }
                if code[i..].starts_with("::") {
                    i += 2;
                    continue;
                }
                used.push(base.clone());
                break;
            }
        }
    }
    used
}

struct Tree {
    /// Module path → the file that defines it.
    files: BTreeMap<Vec<String>, PathBuf>,
    /// File → the files it uses.
    uses: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

fn tree() -> Tree {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    for file in rust_files(&src) {
        if file.file_name().is_some_and(|n| n == "main.rs") {
            continue;
        }
        files.insert(module_of(&src, &file), file);
    }
    let mut uses: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (module, file) in &files {
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        let targets = uses.entry(file.clone()).or_default();
        for path in paths_used(module, &code) {
            // The longest prefix that is a file: `crate::tui::panes::detail::DetailTarget`
            // is a use of tui/panes/detail.rs.
            let target = (1..=path.len()).rev().find_map(|n| files.get(&path[..n]));
            if let Some(target) = target.filter(|t| *t != file) {
                targets.insert(target.clone());
            }
        }
    }
    Tree { files, uses }
}

fn layer_of(src: &Path, file: &Path) -> Option<usize> {
    let first = file.strip_prefix(src).ok()?.iter().next()?.to_string_lossy().into_owned();
    LAYERS.iter().position(|l| *l == first)
}

#[test]
fn src_top_holds_at_most_four_files_and_the_four_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut top_files = Vec::new();
    let mut folders = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            folders.insert(name);
        } else if name.ends_with(".rs") {
            top_files.push(name);
        }
    }
    assert!(top_files.len() <= 4, "src/ holds {} .rs files: {top_files:?}", top_files.len());
    for layer in LAYERS {
        assert!(folders.contains(layer), "src/{layer}/ is missing");
    }
}

#[test]
fn dependencies_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tree = tree();
    let mut wrong = Vec::new();
    for (file, targets) in &tree.uses {
        let Some(from) = layer_of(&src, file) else { continue };
        for target in targets {
            if let Some(to) = layer_of(&src, target)
                && to > from
            {
                wrong.push(format!("{} uses {}", file.display(), target.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "uses against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    // Depth-first search for a back edge; each cycle found is reported by its path.
    fn visit(
        file: &PathBuf,
        uses: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, u8>,
        path: &mut Vec<PathBuf>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(file.clone(), 1);
        path.push(file.clone());
        for next in uses.get(file).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                0 => visit(next, uses, state, path, cycles),
                1 => {
                    let from = path.iter().position(|p| p == next).unwrap_or(0);
                    let names: Vec<String> =
                        path[from..].iter().chain([next]).map(|p| p.display().to_string()).collect();
                    cycles.push(names.join(" → "));
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(file.clone(), 2);
    }
    let tree = tree();
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for file in tree.files.values() {
        if state.get(file).copied().unwrap_or(0) == 0 {
            visit(file, &tree.uses, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_uses_cycles_and_layers() {
    // The checks above pass on a tree with no uses at all; prove they read real ones.
    let module = vec!["tui".to_string(), "panes".to_string(), "posts".to_string()];
    let code = code_only(
        "let q = '\"';\nuse crate::domain::model::{Day, Event};\n// crate::cli::bench in a comment\nlet s = \"crate::cli\";\nsuper::frame(a);\nuse crate::tui::{app::App, theme};",
    );
    let used = paths_used(&module, &code);
    let strs: Vec<String> = used.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        strs,
        ["domain::model::Day", "domain::model::Event", "tui::app::App", "tui::theme", "tui::panes::frame"],
        "paths read from {code:?}"
    );
    let tree = tree();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let app = src.join("tui/app.rs");
    assert!(tree.uses[&app].contains(&src.join("domain/query.rs")), "app.rs uses the query: {:?}", tree.uses[&app]);
    assert!(tree.uses[&src.join("ingest/load.rs")].contains(&src.join("ingest/input.rs")));
}
