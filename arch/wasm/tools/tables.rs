// SPDX-License-Identifier: GPL-2.0
//! Checks that the zero-size start/end markers of linker-built tables sit at
//! the edges of their wasm-ld output segments.

use crate::link_map::{Chunk, Segment};
use crate::Outcome;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Head,
    Tail,
    Other,
}

#[derive(Debug, Default)]
pub(crate) struct Spec {
    objects: Vec<(Role, String)>,
    /// Start symbol, end symbol, and whether alignment padding may
    /// separate the segments of the range.
    ranges: Vec<(String, String, bool)>,
}

pub(crate) fn parse_spec(text: &str) -> Result<Spec, String> {
    let mut spec = Spec::default();
    for (n, line) in (1..).zip(text.lines()) {
        let words: Vec<&str> = line
            .split('#')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let object = |role, w: &str| (role, w.strip_prefix("./").unwrap_or(w).to_string());
        match words[..] {
            [] => {}
            ["head", file] => spec.objects.push(object(Role::Head, file)),
            ["tail", file] => spec.objects.push(object(Role::Tail, file)),
            ["range", start, end] => spec
                .ranges
                .push((start.to_string(), end.to_string(), false)),
            ["range", start, end, "padded"] => {
                spec.ranges.push((start.to_string(), end.to_string(), true))
            }
            _ => {
                return Err(format!(
                    "line {n}: expected 'head FILE', 'tail FILE' or 'range START END [padded]'"
                ))
            }
        }
    }
    for role in [Role::Head, Role::Tail] {
        if !spec.objects.iter().any(|o| o.0 == role) {
            return Err(format!("no '{}' line", role.word()));
        }
    }
    Ok(spec)
}

/// Whether a map file name (`dir/x.o` or `dir/lib.a(member.o)`) names an
/// object whose path ends with `suffix` at a path component boundary.
fn file_matches(file: &str, suffix: &str) -> bool {
    let ends = |path: &str| path == suffix || path.ends_with(&format!("/{suffix}"));
    match file.strip_suffix(')').and_then(|f| f.split_once('(')) {
        Some((archive, member)) => match archive.rsplit_once('/') {
            Some((dir, _)) => ends(member) || ends(&format!("{dir}/{member}")),
            None => ends(member),
        },
        None => ends(file),
    }
}

impl Role {
    fn word(self) -> &'static str {
        ["head", "tail", "other"][self as usize]
    }
}

impl Spec {
    fn role(&self, file: &str) -> Role {
        let found = self
            .objects
            .iter()
            .find(|(_, suffix)| file_matches(file, suffix));
        found.map_or(Role::Other, |o| o.0)
    }
}

fn describe(chunk: &Chunk) -> String {
    format!("{}:({})", chunk.file, chunk.section)
}

pub(crate) fn check(segments: &[Segment], spec: &Spec) -> Outcome {
    let mut problems = Vec::new();
    let mut markers = 0;
    // Symbol name -> (segment index, role of the defining object); head or
    // tail definitions win over same-named (static) symbols elsewhere.
    let mut defined: HashMap<&str, (usize, Role)> = HashMap::new();
    for (si, seg) in segments.iter().enumerate() {
        let last = seg.chunks.len().saturating_sub(1);
        for (ci, chunk) in seg.chunks.iter().enumerate() {
            let role = spec.role(&chunk.file);
            for sym in &chunk.symbols {
                let slot = defined.entry(&sym.name).or_insert((si, role));
                if slot.1 == Role::Other {
                    *slot = (si, role);
                }
            }
            let (edge, want_ci, want_addr) = match role {
                Role::Head => (["first", "start"], 0, Some(seg.addr)),
                Role::Tail => (["last", "end"], last, seg.addr.checked_add(seg.size)),
                Role::Other => continue,
            };
            markers += chunk.symbols.len();
            for sym in &chunk.symbols {
                let marker = format!("{} marker {}", role.word(), sym.name);
                let place = format!("segment {} ({})", seg.name, describe(chunk));
                if ci != want_ci {
                    let other = describe(&seg.chunks[want_ci]);
                    problems.push(format!(
                        "{marker} is not in the {} chunk of {place}; {other} is",
                        edge[0]
                    ));
                } else if want_addr != Some(sym.addr) {
                    let want = want_addr.unwrap_or(u64::MAX);
                    problems.push(format!(
                        "{marker} at {:#x} is not at the {} {want:#x} of {place}",
                        sym.addr, edge[1]
                    ));
                }
            }
        }
    }
    for (start, end, padded) in &spec.ranges {
        let mut locate = |sym: &str, want: Role| match defined.get(sym) {
            Some(&(si, role)) if role == want => Some(si),
            found => {
                let why = match found {
                    Some(_) => format!("is not defined by a {} object", want.word()),
                    None => "not found in the map".to_string(),
                };
                problems.push(format!("range {start}..{end}: {sym} {why}"));
                None
            }
        };
        let (Some(first), Some(last)) = (locate(start, Role::Head), locate(end, Role::Tail)) else {
            continue;
        };
        let (a, b) = (&segments[first].name, &segments[last].name);
        if first > last {
            problems.push(format!(
                "range {start}..{end}: start segment {a} comes after end segment {b}"
            ));
            continue;
        }
        let run = &segments[first..=last];
        for seg in run.iter().filter(|s| {
            s.chunks
                .first()
                .is_none_or(|c| spec.role(&c.file) != Role::Head)
        }) {
            let name = &seg.name;
            problems.push(format!(
                "range {start}..{end}: segment {name} does not begin with a head-object chunk"
            ));
        }
        for pair in run.windows(2) {
            let (x, y) = (&pair[0], &pair[1]);
            let next = x.addr.checked_add(x.size);
            // A padded range may leave alignment gaps, never an overlap.
            let fits = if *padded {
                next.is_some_and(|n| n <= y.addr)
            } else {
                next == Some(y.addr)
            };
            if !fits {
                problems.push(format!(
                    "range {start}..{end}: segment {} ({:#x}+{:#x}) is not contiguous with {} ({:#x})",
                    x.name, x.addr, x.size, y.name, y.addr
                ));
            }
        }
    }
    if markers == 0 {
        problems.push("no data chunk of any head or tail object in the map".to_string());
    }
    if problems.is_empty() {
        Outcome::Pass(format!(
            "tables: {} ranges, {markers} markers OK",
            spec.ranges.len()
        ))
    } else {
        Outcome::Fail(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link_map::parse;

    const HEAD: &str = "arch/wasm/kernel/vmlinux-head.o";
    const TAIL: &str = "vmlinux.a(arch/wasm/kernel/vmlinux-tail.o)";
    const SPEC: &str = "# initcalls\nhead arch/wasm/kernel/vmlinux-head.o\n\n\
                        tail ./arch/wasm/kernel/vmlinux-tail.o\nrange __initcall0_start __initcall_end # all\n";
    const R: &str = "range __initcall0_start..__initcall_end:";

    type Chunks<'a> = &'a [(&'a str, u64, &'a str)];
    const L0: Chunks<'static> = &[(HEAD, 0, "__initcall0_start"), ("init/x.o", 4, "ia")];
    const L1: Chunks<'static> = &[
        (HEAD, 0, "__initcall1_start"),
        ("init/lib.a(y.o)", 4, "ib"),
        (TAIL, 0, "__initcall_end"),
    ];

    /// Map text for segments given as (address, [(file, size, symbol)]).
    fn map(segments: &[(u64, Chunks<'_>)]) -> String {
        let mut map = String::from(
            "    Addr      Off     Size Out     In      Symbol\n       -      110       2b DATA\n",
        );
        for (i, &(mut at, chunks)) in segments.iter().enumerate() {
            let size: u64 = chunks.iter().map(|c| c.1).sum();
            map += &format!("{at:8x} {:8x} {size:8x} .seg{i}\n", 0);
            for &(file, len, sym) in chunks {
                map += &format!("{at:8x} {:8x} {len:8x}         {file}:(.seg{i})\n", 0);
                map += &format!("{at:8x} {:8x} {len:8x}                 {sym}\n", 0);
                at += len;
            }
        }
        map
    }

    /// Checks map text against a spec; returns the summary or the problems.
    fn run(map: &str, spec: &str) -> Vec<String> {
        match check(
            &parse(map).expect("valid map"),
            &parse_spec(spec).expect("valid spec"),
        ) {
            Outcome::Pass(summary) => vec![summary],
            Outcome::Fail(problems) => problems,
        }
    }

    #[test]
    fn accepts_well_placed_markers() {
        assert_eq!(
            run(&map(&[(0x10010, L0), (0x10014, L1)]), SPEC),
            ["tables: 1 ranges, 3 markers OK"]
        );
    }

    #[test]
    fn parses_spec_and_object_names() {
        assert!(parse_spec("head a.o\ntail b.o\nrange x\n")
            .unwrap_err()
            .starts_with("line 3:"));
        assert_eq!(
            parse_spec("head a.o # tail b.o\n").unwrap_err(),
            "no 'tail' line"
        );
        assert!(
            file_matches("init/lib.a(y.o)", "init/y.o") && file_matches("init/lib.a(y.o)", "y.o")
        );
        assert!(
            file_matches(TAIL, "arch/wasm/kernel/vmlinux-tail.o")
                && file_matches(HEAD, "kernel/vmlinux-head.o")
        );
        assert!(!file_matches(
            "arch/wasm/kernel/not-vmlinux-head.o",
            "vmlinux-head.o"
        ));
    }

    #[test]
    fn head_marker_not_first() {
        assert_eq!(
            run(&map(&[(0x10010, &[L0[1], L0[0]]), (0x10014, L1)]), SPEC),
            [
                "head marker __initcall0_start is not in the first chunk of segment .seg0 \
                 (arch/wasm/kernel/vmlinux-head.o:(.seg0)); init/x.o:(.seg0) is",
                &format!("{R} segment .seg0 does not begin with a head-object chunk"),
            ]
        );
    }

    #[test]
    fn head_marker_not_at_start() {
        let text = map(&[(0x10010, L0), (0x10014, L1)]).replace(
            "   10010        0        0   ",
            "   10011        0        0   ",
        );
        let problems = run(&text, SPEC);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .starts_with("head marker __initcall0_start at 0x10011 is not at the start 0x10010"));
    }

    #[test]
    fn tail_marker_not_last_or_not_at_end() {
        let problems = run(
            &map(&[(0x10010, L0), (0x10014, &[L1[0], L1[2], L1[1]])]),
            SPEC,
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .starts_with("tail marker __initcall_end is not in the last chunk of segment .seg1"));
        let tail_sized: Chunks<'_> = &[L1[0], L1[1], (TAIL, 4, "__initcall_end")];
        let problems = run(&map(&[(0x10010, L0), (0x10014, tail_sized)]), SPEC);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .starts_with("tail marker __initcall_end at 0x10018 is not at the end 0x1001c"));
    }

    #[test]
    fn range_symbols_unknown_or_foreign() {
        let spec = format!("{SPEC}range nope ib\nrange __initcall1_start __initcall0_start\n");
        assert_eq!(
            run(&map(&[(0x10010, L0), (0x10014, L1)]), &spec),
            [
                "range nope..ib: nope not found in the map",
                "range nope..ib: ib is not defined by a tail object",
                "range __initcall1_start..__initcall0_start: __initcall0_start is not defined by a tail object",
            ]
        );
    }

    #[test]
    fn range_reversed() {
        let spec = format!("{SPEC}range __initcall1_start __initcall0_end\n");
        let l0: Chunks<'_> = &[L0[0], L0[1], (TAIL, 0, "__initcall0_end")];
        assert_eq!(
            run(&map(&[(0x10010, l0), (0x10014, L1)]), &spec),
            ["range __initcall1_start..__initcall0_end: start segment .seg1 comes after end segment .seg0"]
        );
    }

    #[test]
    fn foreign_segment_or_gap_inside_range() {
        let z: Chunks<'_> = &[("init/z.o", 4, "z")];
        let foreign = [(0x10010, L0), (0x10014, z), (0x10018, L1)];
        assert_eq!(
            run(&map(&foreign), SPEC),
            [format!(
                "{R} segment .seg1 does not begin with a head-object chunk"
            )]
        );
        assert_eq!(
            run(&map(&[(0x10010, L0), (0x10020, L1)]), SPEC),
            [format!(
                "{R} segment .seg0 (0x10010+0x4) is not contiguous with .seg1 (0x10020)"
            )]
        );
    }

    #[test]
    fn padded_range_allows_gaps_but_not_overlaps() {
        let padded = SPEC.replace("__initcall_end # all", "__initcall_end padded");
        assert_eq!(
            run(&map(&[(0x10010, L0), (0x10020, L1)]), &padded),
            ["tables: 1 ranges, 3 markers OK"]
        );
        assert_eq!(
            run(&map(&[(0x10010, L0), (0x10012, L1)]), &padded),
            [format!(
                "{R} segment .seg0 (0x10010+0x4) is not contiguous with .seg1 (0x10012)"
            )]
        );
    }
}
