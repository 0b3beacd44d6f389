// SPDX-License-Identifier: GPL-2.0
//! Minimal WebAssembly binary reader: the import/export interface of a
//! module as canonical one-line descriptions.

/// Bounds-checked cursor over `data[pos..end]`; errors carry file offsets.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    fn err<T>(&self, msg: &str) -> Result<T, String> {
        Err(format!("offset {:#x}: {msg}", self.pos))
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], String> {
        match self.pos.checked_add(len).filter(|&stop| stop <= self.end) {
            Some(stop) => {
                let start = self.pos;
                self.pos = stop;
                Ok(&self.data[start..stop])
            }
            None => self.err("unexpected end of data"),
        }
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.bytes(1)?[0])
    }

    /// LEB128 of at most `bits` bits, so at most ceil(bits / 7) bytes.
    /// Signed values are only skipped, so their sign bits are not checked.
    fn leb(&mut self, bits: u32, signed: bool) -> Result<u64, String> {
        let mut value = 0;
        for i in 0..bits.div_ceil(7) {
            let byte = self.byte()?;
            let payload = u64::from(byte & 0x7f);
            let last = i + 1 == bits.div_ceil(7);
            if last && (byte & 0x80 != 0 || (!signed && payload >> (bits - 7 * i) != 0)) {
                break;
            }
            value |= payload << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        self.err(&format!("LEB128 value too long for {bits} bits"))
    }

    fn index(&mut self) -> Result<usize, String> {
        let value = self.leb(32, false)?;
        usize::try_from(value).or_else(|_| self.err("index does not fit in usize"))
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let len = self.index()?;
        let bytes = self.bytes(len)?;
        std::str::from_utf8(bytes).or_else(|_| self.err("name is not UTF-8"))
    }

    fn val_type(&mut self) -> Result<&'static str, String> {
        Ok(match self.byte()? {
            0x7f => "i32",
            0x7e => "i64",
            0x7d => "f32",
            0x7c => "f64",
            0x7b => "v128",
            0x70 => "funcref",
            0x6f => "externref",
            b => return self.err(&format!("unsupported value type {b:#04x}")),
        })
    }

    /// Reads memory/table limits; returns whether the `shared` flag is set.
    fn limits(&mut self) -> Result<bool, String> {
        let flags = self.byte()?;
        if flags > 7 {
            return self.err(&format!("invalid limits flags {flags:#04x}"));
        }
        let bits = if flags & 4 != 0 { 64 } else { 32 };
        for _ in 0..=(flags & 1) {
            self.leb(bits, false)?;
        }
        Ok(flags & 2 != 0)
    }

    /// Global type rendered as `<valtype>` or `<valtype> mut`.
    fn global_type(&mut self) -> Result<String, String> {
        let ty = self.val_type()?;
        match self.byte()? {
            0 => Ok(ty.to_string()),
            1 => Ok(format!("{ty} mut")),
            _ => self.err("invalid global mutability"),
        }
    }

    /// Skips a constant expression up to and including its `end` opcode.
    fn skip_const_expr(&mut self) -> Result<(), String> {
        loop {
            match self.byte()? {
                0x0b => return Ok(()),
                0x41 => self.leb(32, true).map(drop)?,
                0x42 => self.leb(64, true).map(drop)?,
                0x43 => self.bytes(4).map(drop)?,
                0x44 => self.bytes(8).map(drop)?,
                0x23 | 0xd2 => self.index().map(drop)?,
                0xd0 => self.val_type().map(drop)?,
                0x6a..=0x6c | 0x7c..=0x7e => {}
                0xfd if self.index()? == 12 => self.bytes(16).map(drop)?,
                op => {
                    return self.err(&format!(
                        "unsupported opcode {op:#04x} in constant expression"
                    ))
                }
            }
        }
    }
}

/// Parses a module and returns its interface lines (imports, then exports).
pub(crate) fn interface(bytes: &[u8]) -> Result<Vec<String>, String> {
    if !bytes.starts_with(b"\0asm") {
        return Err("not a WebAssembly module (bad magic)".to_string());
    }
    if bytes.get(4..8) != Some(&[1, 0, 0, 0]) {
        return Err("unsupported WebAssembly version".to_string());
    }
    let mut file = Reader {
        data: bytes,
        pos: 8,
        end: bytes.len(),
    };
    let (mut types, mut funcs, mut globals) = (Vec::new(), Vec::new(), Vec::new());
    let (mut memories, mut lines) = (0, Vec::new());
    while file.pos < file.end {
        let id = file.byte()?;
        let size = file.index()?;
        let start = file.pos;
        file.bytes(size)?;
        let mut r = Reader {
            data: bytes,
            pos: start,
            end: file.pos,
        };
        if !matches!(id, 1..=3 | 5..=7) {
            continue;
        }
        for _ in 0..r.index()? {
            match id {
                1 => {
                    if r.byte()? != 0x60 {
                        return r.err("unsupported type form (only func types)");
                    }
                    let mut sig = Vec::new();
                    for _ in 0..2 {
                        let n = r.index()?;
                        let vals: Result<Vec<_>, _> = (0..n).map(|_| r.val_type()).collect();
                        sig.push(format!("({})", vals?.join(", ")));
                    }
                    types.push(sig.join(" -> "));
                }
                2 => {
                    let (module, field) = (r.name()?, r.name()?);
                    let desc = match r.byte()? {
                        0 => {
                            funcs.push(type_index(&mut r, types.len())?);
                            format!("func {}", types[funcs[funcs.len() - 1]])
                        }
                        1 => {
                            let ty = r.val_type()?;
                            r.limits()?;
                            format!("table {ty}")
                        }
                        2 => {
                            memories += 1;
                            let shared = r.limits()?;
                            if shared { "memory shared" } else { "memory" }.to_string()
                        }
                        3 => {
                            globals.push(r.global_type()?);
                            format!("global {}", globals[globals.len() - 1])
                        }
                        k => return r.err(&format!("unsupported import kind {k}")),
                    };
                    lines.push(format!("import {module}.{field} {desc}"));
                }
                3 => funcs.push(type_index(&mut r, types.len())?),
                5 => {
                    r.limits()?;
                    memories += 1;
                }
                6 => {
                    globals.push(r.global_type()?);
                    r.skip_const_expr()?;
                }
                _ => {
                    let name = r.name()?;
                    let (kind, idx) = (r.byte()?, r.index()?);
                    let desc = match kind {
                        0 if idx < funcs.len() => format!("func {}", types[funcs[idx]]),
                        1 => "table".to_string(),
                        2 if idx < memories => "memory".to_string(),
                        3 if idx < globals.len() => format!("global {}", globals[idx]),
                        0..=3 => return r.err(&format!("export {name}: index {idx} out of range")),
                        k => return r.err(&format!("unsupported export kind {k}")),
                    };
                    lines.push(format!("export {name} {desc}"));
                }
            }
        }
        if r.pos != r.end {
            return r.err(&format!(
                "section {id} has {} trailing bytes",
                r.end - r.pos
            ));
        }
    }
    Ok(lines)
}

/// Reads a type index and checks it against the `count` types defined.
fn type_index(r: &mut Reader<'_>, count: usize) -> Result<usize, String> {
    match r.index()? {
        idx if idx < count => Ok(idx),
        idx => r.err(&format!("type index {idx} out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::interface;

    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        for &(id, body) in sections {
            out.extend([id, body.len() as u8]);
            out.extend(body);
        }
        out
    }

    const SAMPLE: [(u8, &[u8]); 6] = [
        // Types: 0 = (i32, i64) -> (i32), 1 = () -> ().
        (1, b"\x02\x60\x02\x7f\x7e\x01\x7f\x60\x00\x00"),
        (
            2,
            b"\x04\x04host\x04call\x00\x00\x03env\x06memory\x02\x03\x01\x02\
              \x03env\x02sp\x03\x7f\x01\x03env\x03tbl\x01\x70\x00\x00",
        ),
        (3, b"\x01\x01"),
        (6, b"\x01\x7e\x00\x42\x80\x01\x0b"),
        (
            7,
            b"\x04\x05start\x00\x01\x04call\x00\x00\x02sp\x03\x00\x03g64\x03\x01",
        ),
        (0, b"\x01x\xff"), // custom sections are skipped
    ];

    #[test]
    fn extracts_interface() {
        let expected = [
            "import host.call func (i32, i64) -> (i32)",
            "import env.memory memory shared",
            "import env.sp global i32 mut",
            "import env.tbl table funcref",
            "export start func () -> ()",
            "export call func (i32, i64) -> (i32)",
            "export sp global i32 mut",
            "export g64 global i64",
        ];
        assert_eq!(
            interface(&module(&SAMPLE)),
            Ok(expected.map(String::from).to_vec())
        );
    }

    #[test]
    fn rejects_malformed_modules() {
        let err = |bytes: &[u8]| interface(bytes).expect_err("must fail");
        assert!(err(b"\0asx\x01\0\0\0").contains("bad magic"));
        assert!(err(b"\0asm\x02\0\0\0").contains("version"));
        let whole = module(&SAMPLE);
        assert!(err(&whole[..whole.len() - 8]).contains("unexpected end"));
        assert!(err(&module(&[(1, b"\x80\x80\x80\x80\x10")])).contains("LEB128"));
        let mut bad = SAMPLE;
        bad[4] = (7, b"\x01\x01f\x00\x07");
        assert!(err(&module(&bad)).contains("export f: index 7 out of range"));
        bad[2] = (3, b"\x01\x02");
        assert!(err(&module(&bad)).contains("type index 2 out of range"));
        assert!(err(&module(&[(1, b"\x00\x00")])).contains("trailing bytes"));
    }
}
