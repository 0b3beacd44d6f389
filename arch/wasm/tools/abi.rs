// SPDX-License-Identifier: GPL-2.0
//! The documented ABI list (reStructuredText) and its comparison with the
//! interface read from the module.

use crate::Outcome;
use std::collections::BTreeSet;

/// Name of the block of the import/export list.
const LIST: &str = "wasm-abi-list";

/// Collapses whitespace runs and writes lists as `(a, b)`.
pub(crate) fn normalise(entry: &str) -> String {
    let mut out = String::with_capacity(entry.len());
    let mut space = false;
    for c in entry.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !matches!(c, ',' | ')') && !out.ends_with('(') {
            out.push(' ');
        }
        out.push(c);
        space = c == ',';
    }
    out
}

/// Returns the trimmed lines, with their line numbers, of every block
/// between `.. NAME-begin` and `.. NAME-end` in `text`, in file order.
pub(crate) fn block_lines<'a>(text: &'a str, name: &str) -> Result<Vec<(usize, &'a str)>, String> {
    let begin = format!(".. {name}-begin");
    let end = format!(".. {name}-end");
    let mut lines = Vec::new();
    let mut open = None;
    let mut blocks = 0;
    for (n, line) in (1..).zip(text.lines()) {
        let line = line.trim();
        if line == begin {
            if let Some(at) = open {
                return Err(format!(
                    "line {n}: '{begin}' inside the block opened at line {at}"
                ));
            }
            open = Some(n);
        } else if line == end {
            if open.take().is_none() {
                return Err(format!("line {n}: '{end}' without '{begin}'"));
            }
            blocks += 1;
        } else if open.is_some() {
            lines.push((n, line));
        }
    }
    match (open, blocks) {
        (Some(at), _) => Err(format!("line {at}: '{begin}' without '{end}'")),
        (None, 0) => Err(format!("no '{begin}' ... '{end}' block found")),
        _ => Ok(lines),
    }
}

/// Returns the normalised entries of every begin/end block, in file order.
pub(crate) fn documented_entries(text: &str) -> Result<Vec<String>, String> {
    let lines = block_lines(text, LIST)?;
    let entries = lines
        .into_iter()
        .filter(|(_, l)| l.starts_with("import ") || l.starts_with("export "));
    Ok(entries.map(|(_, l)| normalise(l)).collect())
}

/// Compares module interface lines with documented entries.
pub(crate) fn compare(module: &[String], documented: &[String]) -> Outcome {
    let have: BTreeSet<String> = module.iter().map(|l| normalise(l)).collect();
    let mut listed = BTreeSet::new();
    let mut problems = Vec::new();
    for entry in documented {
        if !listed.insert(entry.as_str()) {
            problems.push(format!("documented twice: {entry}"));
        }
    }
    let undocumented = have.iter().filter(|l| !listed.contains(l.as_str()));
    problems.extend(undocumented.map(|l| format!("undocumented: {l}")));
    let missing = listed.iter().filter(|l| !have.contains(**l));
    problems.extend(missing.map(|l| format!("missing from module: {l}")));
    if problems.is_empty() {
        Outcome::Pass(format!(
            "abi: {} interface entries match the documentation",
            have.len()
        ))
    } else {
        Outcome::Fail(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "ABI\n===\n\n.. wasm-abi-list-begin\n\n.. code-block:: none\n\n\
        \x20  import env.memory   memory shared\n   import host.clock func ( ) -> (i64)\n\
        \x20  export start func (i32,i32)  ->  ()\n\n.. wasm-abi-list-end\n\nexport x func () -> ()\n";
    const MEM: &str = "import env.memory memory shared";
    const START: &str = "export start func (i32, i32) -> ()";
    const CLOCK: &str = "import host.clock func () -> (i64)";

    #[test]
    fn normalises_entries() {
        let entry = normalise("  export  f  func ( i32 ,i64,\tf32 ) -> ()");
        assert_eq!(entry, "export f func (i32, i64, f32) -> ()");
    }

    #[test]
    fn reads_block_and_rejects_bad_markers() {
        assert_eq!(
            documented_entries(DOC),
            Ok([MEM, CLOCK, START].map(String::from).to_vec())
        );
        let err = |text: &str| documented_entries(text).expect_err("must fail");
        assert!(err("import a.b memory\n").starts_with("no '"));
        assert!(err(".. wasm-abi-list-begin\n").ends_with("without '.. wasm-abi-list-end'"));
        assert!(err(" .. wasm-abi-list-end \n").ends_with("without '.. wasm-abi-list-begin'"));
        assert!(err(".. wasm-abi-list-begin\n.. wasm-abi-list-begin\n").contains("inside"));
    }

    #[test]
    fn reports_differences_both_ways() {
        let problems = |module: &[&str], doc: &[&str]| {
            let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            match compare(&owned(module), &owned(doc)) {
                Outcome::Pass(_) => Vec::new(),
                Outcome::Fail(problems) => problems,
            }
        };
        assert!(problems(&[MEM, START], &[START, MEM]).is_empty());
        assert_eq!(
            problems(&[MEM, START], &[MEM]),
            [format!("undocumented: {START}")]
        );
        assert_eq!(
            problems(&[MEM], &[MEM, CLOCK]),
            [format!("missing from module: {CLOCK}")]
        );
        assert_eq!(
            problems(&[MEM], &[MEM, MEM]),
            [format!("documented twice: {MEM}")]
        );
    }
}
