// SPDX-License-Identifier: GPL-2.0
//! Reader for the DATA part of a `wasm-ld -Map` file.
//!
//! Every line is `ADDR OFF SIZE` (hex, ADDR may be `-`) followed by one
//! space plus eight more per nesting level and the name: at level 0 the
//! section headers (`DATA`, ADDR `-`) and, inside DATA, output segments;
//! at level 1 input chunks `file:(section)`, where an archive member's
//! file reads `archive(member)`; at level 2 the symbols of a chunk.

#[derive(Debug)]
pub(crate) struct Symbol {
    pub(crate) name: String,
    pub(crate) addr: u64,
}

#[derive(Debug)]
pub(crate) struct Chunk {
    pub(crate) file: String,
    pub(crate) section: String,
    pub(crate) symbols: Vec<Symbol>,
}

#[derive(Debug)]
pub(crate) struct Segment {
    pub(crate) name: String,
    pub(crate) addr: u64,
    pub(crate) size: u64,
    pub(crate) chunks: Vec<Chunk>,
}

/// Splits a map line into (address, size, nesting level, name).
fn split_line(line: &str) -> Option<(Option<u64>, u64, usize, &str)> {
    let mut rest = line;
    let mut fields = [""; 3];
    for field in &mut fields {
        rest = rest.trim_start_matches(' ');
        let (value, tail) = rest.split_at(rest.find(' ')?);
        *field = value;
        rest = tail;
    }
    let name = rest.trim_start_matches(' ');
    let spaces = rest.len() - name.len();
    if name.trim_end().is_empty() {
        return None;
    }
    let hex = |s: &str| u64::from_str_radix(s, 16).ok();
    let addr = if fields[0] == "-" {
        None
    } else {
        Some(hex(fields[0])?)
    };
    hex(fields[1])?;
    Some((addr, hex(fields[2])?, (spaces - 1) / 8, name.trim_end()))
}

/// Parses a map file and returns the output data segments in map order.
pub(crate) fn parse(text: &str) -> Result<Vec<Segment>, String> {
    let mut lines = (1..)
        .zip(text.lines())
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, header)) if header.trim_start().starts_with("Addr") => {}
        _ => return Err("not a wasm-ld map file (no 'Addr Off Size' header)".to_string()),
    }
    let mut segments: Vec<Segment> = Vec::new();
    let mut in_data = false;
    for (n, line) in lines {
        let bad = |what: &str| format!("line {n}: {what}: {}", line.trim());
        let (addr, size, level, name) =
            split_line(line).ok_or_else(|| bad("malformed map line"))?;
        match (level, addr) {
            (0, None) => in_data = name == "DATA",
            _ if !in_data => {}
            (0, Some(addr)) => segments.push(Segment {
                name: name.to_string(),
                addr,
                size,
                chunks: Vec::new(),
            }),
            (1, Some(_)) => {
                let segment = segments
                    .last_mut()
                    .ok_or_else(|| bad("input chunk outside a segment"))?;
                let (file, section) = name
                    .strip_suffix(')')
                    .and_then(|s| s.rsplit_once(":("))
                    .ok_or_else(|| bad("input chunk is not 'file:(section)'"))?;
                let (file, section) = (file.to_string(), section.to_string());
                segment.chunks.push(Chunk {
                    file,
                    section,
                    symbols: Vec::new(),
                });
            }
            (2, Some(addr)) => {
                let chunk = segments.last_mut().and_then(|s| s.chunks.last_mut());
                let chunk = chunk.ok_or_else(|| bad("symbol outside an input chunk"))?;
                chunk.symbols.push(Symbol {
                    name: name.to_string(),
                    addr,
                });
            }
            _ => return Err(bad("unexpected line in DATA")),
        }
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::parse;

    // Excerpt of a real wasm-ld-22 map (thin archive member in the middle).
    const SAMPLE: &str = "    Addr      Off     Size Out     In      Symbol
       -       65       ab CODE
       -       f9        5         init/x.o:(a)
       -       f9        5                 a
       -      110       2b DATA
   10010      123        4 .initcall0.init
   10010      125        0         arch/wasm/kernel/vmlinux-head.o:(.initcall0.init)
   10010      125        0                 __initcall0_start
   10010      125        4         init/lib.a(x.o):(.initcall0.init)
   10010      125        4                 ia
   10014      129        0 .initcall1.init
   10014      12b        0         arch/wasm/kernel/vmlinux-tail.o:(.initcall1.init)
   10014      12b        0                 __initcall_end
       -      13b       d9 CUSTOM(name)
";

    #[test]
    fn parses_data_segments() {
        let segments = parse(SAMPLE).expect("valid map");
        let (seg, chunk) = (&segments[0], &segments[0].chunks[1]);
        assert_eq!(
            (segments.len(), seg.name.as_str(), seg.addr, seg.size),
            (2, ".initcall0.init", 0x10010, 4)
        );
        assert_eq!(
            (chunk.file.as_str(), chunk.section.as_str()),
            ("init/lib.a(x.o)", ".initcall0.init")
        );
        assert_eq!(
            (chunk.symbols[0].name.as_str(), chunk.symbols[0].addr),
            ("ia", 0x10010)
        );
        assert_eq!(segments[1].chunks[0].symbols[0].name, "__initcall_end");
    }

    #[test]
    fn rejects_malformed_maps() {
        let err = |text: &str| parse(text).expect_err("must fail");
        assert!(err("hello\n").starts_with("not a wasm-ld map"));
        assert!(
            err(&SAMPLE.replace("   10014      129", "   1001g      129"))
                .starts_with("line 11: malformed")
        );
        assert!(err(&SAMPLE.replace("(x.o):(.initcall0.init)", "(x.o)"))
            .contains("not 'file:(section)'"));
    }
}
