// SPDX-License-Identifier: GPL-2.0

//! A cache of compiled kernels, so that booting the same `vmlinux.wasm`
//! again skips Cranelift (seconds) and maps the machine code instead
//! (milliseconds).
//!
//! The cache is a directory, `$WASM_LINUX_CACHE`, else
//! `$XDG_CACHE_HOME/wasm-linux`, else `~/.cache/wasm-linux`, created with
//! mode 0700; `WASM_LINUX_CACHE=off` disables it.  An entry is named by
//! its key, the SHA-256 of this program's version, wasmtime's
//! compatibility hash of the engine configuration and the module's bytes,
//! and is two files: `KEY.cwasm`, what `Module::serialize` wrote, which is
//! mapped, and `KEY.sum`, which records the key again and the length and
//! SHA-256 of the `.cwasm`.  A load maps the `.cwasm` only if the `.sum`
//! names the same key and the file it opened has that length and digest,
//! so a truncated or damaged entry, or one left by another version, is
//! compiled again and replaced instead of mapped; wasmtime's own checks
//! (the ELF header, its version, the engine settings) come on top, but do
//! not look at the machine code.  Both files are written to a temporary
//! file and renamed, so a reader never sees a partial file.  The newest
//! [`KEEP`] kernels are kept; user modules live in the subdirectory
//! `user`, where the newest [`USER_KEEP`] are kept, so that many programs
//! never push the kernel out.

use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use wasmtime::{Engine, Module};

/// Kernels kept in the cache directory; older ones are removed.
pub const KEEP: usize = 4;
/// User modules kept in its `user` subdirectory.
pub const USER_KEEP: usize = 64;
/// The compiled module of an entry.
const SUFFIX: &str = "cwasm";
/// The record that says what the `.cwasm` of the same name must be.
const SUM_SUFFIX: &str = "sum";
/// The start of a `.sum`: what it is and the version of its layout.
const SUM_MAGIC: &[u8; 8] = b"wlmcsum1";
/// A `.sum`: the magic, the key, the `.cwasm`'s length (little endian)
/// and its SHA-256.
const SUM_LEN: usize = 8 + 32 + 8 + 32;

type Sha256Digest = [u8; 32];

/// Where the cache lives, from the environment; `None` if it is off.
pub fn directory() -> Option<PathBuf> {
    directory_from(|name| std::env::var_os(name))
}

fn directory_from(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(dir) = env("WASM_LINUX_CACHE") {
        if dir.is_empty() || dir == "off" || dir == "0" {
            return None;
        }
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = env("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("wasm-linux"));
    }
    env("HOME")
        .filter(|d| !d.is_empty())
        .map(|home| PathBuf::from(home).join(".cache").join("wasm-linux"))
}

/// Feeds what a [`Hash`] implementation writes into SHA-256, for
/// wasmtime's compatibility hash, which is only offered as `impl Hash`.
/// Its byte stream (integers in native byte order, strings with an end
/// marker) is fixed for one build of this program; a build that writes
/// it differently only misses the entries of the other.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        let mut first = [0; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_le_bytes(first)
    }
}

/// The key of the entry for `wasm` compiled by `engine`.
fn key(engine: &Engine, wasm: &[u8]) -> Sha256Digest {
    let mut h = Sha256Hasher(Sha256::new());
    h.0.update(b"wasm-linux module cache\0");
    h.0.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.0.update([0]);
    engine.precompile_compatibility_hash().hash(&mut h);
    h.0.update((wasm.len() as u64).to_le_bytes());
    h.0.update(wasm);
    h.0.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The paths of the `.cwasm` and the `.sum` of the entry `key` in `dir`.
fn entry_paths(dir: &Path, key: &Sha256Digest) -> (PathBuf, PathBuf) {
    let name = hex(key);
    (
        dir.join(format!("{name}.{SUFFIX}")),
        dir.join(format!("{name}.{SUM_SUFFIX}")),
    )
}

/// What a `.sum` records.
#[derive(Debug, PartialEq, Eq)]
struct Sum {
    key: Sha256Digest,
    len: u64,
    digest: Sha256Digest,
}

impl Sum {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SUM_LEN);
        out.extend_from_slice(SUM_MAGIC);
        out.extend_from_slice(&self.key);
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&self.digest);
        out
    }

    /// A `.sum`'s contents, if they have its exact layout.
    fn parse(bytes: &[u8]) -> Option<Sum> {
        let rest = bytes.strip_prefix(SUM_MAGIC)?;
        if rest.len() != SUM_LEN - SUM_MAGIC.len() {
            return None;
        }
        let (key, rest) = rest.split_at(32);
        let (len, digest) = rest.split_at(8);
        Some(Sum {
            key: key.try_into().ok()?,
            len: u64::from_le_bytes(len.try_into().ok()?),
            digest: digest.try_into().ok()?,
        })
    }
}

/// The length and SHA-256 of what is left to read in `file`.
fn file_digest(mut file: &File) -> std::io::Result<(u64, Sha256Digest)> {
    let mut h = Sha256::new();
    let mut len = 0u64;
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok((len, h.finalize().into())),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        h.update(&buf[..n]);
        len += n as u64;
    }
}

/// How a module was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Compiled,
    Cached,
}

/// Compiles `wasm`, or loads it from the cache in `dir` when it was
/// compiled before; stores a new compilation in the cache, which keeps
/// the newest `keep` entries.  Cache errors are not fatal: the module is
/// then compiled as if there were no cache.
pub fn load_or_compile(
    engine: &Engine,
    wasm: &[u8],
    dir: Option<&Path>,
    keep: usize,
) -> wasmtime::Result<(Module, Source)> {
    let Some(dir) = dir else {
        return Ok((Module::from_binary(engine, wasm)?, Source::Compiled));
    };
    let key = key(engine, wasm);
    let (entry, sum) = entry_paths(dir, &key);
    if let Some(module) = load(engine, &key, &entry, &sum) {
        return Ok((module, Source::Cached));
    }
    let module = Module::from_binary(engine, wasm)?;
    let _ = store(&module, &key, dir, &entry, &sum, keep);
    Ok((module, Source::Compiled))
}

/// The cached module of `key`, if its entry is whole and what its `.sum`
/// says.
fn load(engine: &Engine, key: &Sha256Digest, entry: &Path, sum: &Path) -> Option<Module> {
    let recorded = Sum::parse(&fs::read(sum).ok()?)?;
    if recorded.key != *key {
        return None;
    }
    // The digest is taken of the open file, and that same file is mapped.
    let file = File::open(entry).ok()?;
    if file_digest(&file).ok()? != (recorded.len, recorded.digest) {
        return None;
    }
    // SAFETY: the file has the length and SHA-256 that `store` recorded
    // for the output of `Module::serialize` by an engine with the same
    // compatibility hash (it is part of the key, which the record names),
    // so it is what that engine wrote, not arbitrary bytes.  Entries are
    // written to a temporary file and renamed into place, in a directory
    // that only this user can write (mode 0700), and never written again:
    // a later `store` renames a new file over the name and `prune`
    // unlinks, neither of which changes the open file, so the mapping
    // stays valid for the module's life.  wasmtime still checks the
    // header, its version and the engine settings.
    unsafe { Module::deserialize_open_file(engine, file) }.ok()
}

fn store(
    module: &Module,
    key: &Sha256Digest,
    dir: &Path,
    entry: &Path,
    sum: &Path,
    keep: usize,
) -> std::io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let bytes = module.serialize().map_err(std::io::Error::other)?;
    let record = Sum {
        key: *key,
        len: bytes.len() as u64,
        digest: Sha256::digest(&bytes).into(),
    };
    // The module first: a `.sum` without its module is never read.
    write_new(entry, &bytes)?;
    write_new(sum, &record.to_bytes())?;
    prune(dir, keep);
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file renamed over it.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(name);
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes all but the `keep` newest entries of `dir`, and the `.sum`
/// files whose module is gone.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    let has = |path: &Path, suffix| path.extension().is_some_and(|x| x == suffix);
    let mut modules: Vec<_> = paths
        .iter()
        .filter(|p| has(p, SUFFIX))
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    modules.sort_by_key(|m| std::cmp::Reverse(m.0));
    for (_, path) in modules.into_iter().skip(keep) {
        let _ = fs::remove_file(path);
    }
    for sum in paths.iter().filter(|p| has(p, SUM_SUFFIX)) {
        if !sum.with_extension(SUFFIX).exists() {
            let _ = fs::remove_file(sum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn directory_choice() {
        let d = |vars| directory_from(env(vars));
        assert_eq!(d(&[("HOME", "/h")]), Some("/h/.cache/wasm-linux".into()));
        assert_eq!(
            d(&[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")]),
            Some("/x/wasm-linux".into())
        );
        assert_eq!(
            d(&[("HOME", "/h"), ("WASM_LINUX_CACHE", "/c")]),
            Some("/c".into())
        );
        assert_eq!(d(&[("HOME", "/h"), ("WASM_LINUX_CACHE", "off")]), None);
        assert_eq!(d(&[("WASM_LINUX_CACHE", "")]), None);
        assert_eq!(d(&[]), None);
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "wasm-linux-cache-test-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn second_load_comes_from_the_cache() {
        let engine = Engine::default();
        let wasm =
            wat::parse_str("(module (func (export \"f\") (result i32) i32.const 7))").unwrap();
        let other = wat::parse_str("(module (func (export \"g\")))").unwrap();
        let dir = scratch("load");

        let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        let (module, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Cached);
        assert!(module.get_export("f").is_some());
        drop(module);
        let (module, src) = load_or_compile(&engine, &other, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        assert!(module.get_export("g").is_some());

        drop(module);

        // Without a cache, nothing is stored.
        let (_, src) = load_or_compile(&engine, &wasm, None, KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        // A module that does not compile is an error, and not cached.
        assert!(load_or_compile(&engine, b"\0asm\x01\0\0\0\x99", Some(&dir), KEEP).is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn key_follows_the_module_bytes() {
        let engine = Engine::default();
        let wasm =
            wat::parse_str("(module (func (export \"f\") (result i32) i32.const 7))").unwrap();
        let mut changed = wasm.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(key(&engine, &wasm), key(&engine, &wasm.clone()));
        assert_ne!(key(&engine, &wasm), key(&engine, &changed));
        assert_ne!(key(&engine, &wasm), key(&engine, &wasm[..wasm.len() - 1]));
        // Another engine configuration is another key.
        let mut config = wasmtime::Config::new();
        config.cranelift_opt_level(wasmtime::OptLevel::None);
        let other = Engine::new(&config).unwrap();
        assert_ne!(key(&engine, &wasm), key(&other, &wasm));

        let (entry, sum) = entry_paths(Path::new("/c"), &key(&engine, &wasm));
        let name = entry.file_name().unwrap().to_str().unwrap();
        assert_eq!(name.len(), 64 + 1 + SUFFIX.len());
        assert!(name[..64].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(sum, entry.with_extension(SUM_SUFFIX));
    }

    #[test]
    fn sum_round_trip() {
        let sum = Sum {
            key: [1; 32],
            len: 0x0102_0304_0506,
            digest: [2; 32],
        };
        let bytes = sum.to_bytes();
        assert_eq!(bytes.len(), SUM_LEN);
        assert_eq!(Sum::parse(&bytes), Some(sum));
        assert_eq!(Sum::parse(&bytes[..SUM_LEN - 1]), None);
        assert_eq!(Sum::parse(&[bytes.as_slice(), b"x"].concat()), None);
        assert_eq!(Sum::parse(&bytes[1..]), None);
    }

    #[test]
    fn damaged_entries_are_compiled_again() {
        let engine = Engine::default();
        let wasm = wat::parse_str(
            "(module (func (export \"f\") (param i32) (result i32)
               local.get 0 i32.const 7 i32.mul))",
        )
        .unwrap();
        let dir = scratch("damage");
        let (entry, sum) = entry_paths(&dir, &key(&engine, &wasm));
        let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        let good = fs::read(&entry).unwrap();
        let good_sum = fs::read(&sum).unwrap();

        let mut flipped = good.clone();
        flipped[good.len() / 2] ^= 0x40;
        let mut other_key = good_sum.clone();
        other_key[SUM_MAGIC.len()] ^= 1;
        // (file, its new contents) for each kind of damage.  A file is
        // replaced by a new one, never written in place, as a mapped entry
        // must not change.
        let damage: [(&Path, &[u8]); 6] = [
            (&entry, &good[..good.len() / 2]),
            (&entry, &flipped),
            (&entry, b""),
            (&entry, b"not a compiled module"),
            (&sum, &good_sum[..SUM_LEN - 1]),
            (&sum, &other_key),
        ];
        for (i, (path, bytes)) in damage.into_iter().enumerate() {
            fs::remove_file(path).unwrap();
            fs::write(path, bytes).unwrap();
            assert!(load(&engine, &key(&engine, &wasm), &entry, &sum).is_none());
            let (module, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
            assert_eq!(src, Source::Compiled, "damage {i}");
            assert!(module.get_export("f").is_some());
            // The new compilation replaced the damaged file.
            let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
            assert_eq!(src, Source::Cached, "damage {i}");
        }

        // A module without its `.sum` is not mapped either.
        fs::remove_file(&sum).unwrap();
        let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        assert_eq!(fs::read(&sum).unwrap().len(), SUM_LEN);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn prune_keeps_the_newest() {
        let dir = scratch("prune");
        fs::create_dir_all(&dir).unwrap();
        for i in 0..6 {
            let path = dir.join(format!("{i}.{SUFFIX}"));
            fs::write(&path, b"x").unwrap();
            let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i);
            fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        fs::write(dir.join("keep.txt"), b"not an entry").unwrap();
        fs::write(dir.join(format!("1.{SUM_SUFFIX}")), b"s").unwrap();
        fs::write(dir.join(format!("5.{SUM_SUFFIX}")), b"s").unwrap();
        prune(&dir, 2);
        let mut left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["4.cwasm", "5.cwasm", "5.sum", "keep.txt"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
