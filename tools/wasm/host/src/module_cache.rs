// SPDX-License-Identifier: GPL-2.0

//! A cache of compiled kernels, so that booting the same `vmlinux.wasm`
//! again skips Cranelift (seconds) and maps the machine code instead
//! (milliseconds).
//!
//! The cache is a directory, `$WASM_LINUX_CACHE`, else
//! `$XDG_CACHE_HOME/wasm-linux`, else `~/.cache/wasm-linux`, created with
//! mode 0700; `WASM_LINUX_CACHE=off` disables it.  An entry is named by a
//! 128-bit hash of the module's bytes, wasmtime's compatibility hash of the
//! engine configuration and this program's version, and is written to a
//! temporary file and renamed, so a reader never sees a partial entry.  The
//! newest [`KEEP`] kernels are kept; user modules live in the subdirectory
//! `user`, where the newest [`USER_KEEP`] are kept, so that many programs
//! never push the kernel out.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use wasmtime::{Engine, Module};

/// Kernels kept in the cache directory; older ones are removed.
pub const KEEP: usize = 4;
/// User modules kept in its `user` subdirectory.
pub const USER_KEEP: usize = 64;
const SUFFIX: &str = "cwasm";

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

/// The file name of the entry for `wasm` compiled by `engine`.
fn entry_name(engine: &Engine, wasm: &[u8]) -> String {
    let hash = |salt: u64| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        engine.precompile_compatibility_hash().hash(&mut h);
        wasm.hash(&mut h);
        h.finish()
    };
    format!("{:016x}{:016x}.{SUFFIX}", hash(1), hash(2))
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
    let path = dir.join(entry_name(engine, wasm));
    if path.is_file() {
        // SAFETY: entries are only made by `store` below from
        // `Module::serialize` of an engine with the same compatibility
        // hash (it is part of the name), written to a temporary file and
        // renamed into place, in a directory that only this user can
        // write (mode 0700); a file is never changed once renamed, so
        // the mapping stays valid.  wasmtime still checks the header,
        // its version and the engine settings and errors out on a
        // mismatch.
        if let Ok(module) = unsafe { Module::deserialize_file(engine, &path) } {
            return Ok((module, Source::Cached));
        }
        let _ = fs::remove_file(&path);
    }
    let module = Module::from_binary(engine, wasm)?;
    let _ = store(&module, dir, &path, keep);
    Ok((module, Source::Compiled))
}

fn store(module: &Module, dir: &Path, path: &Path, keep: usize) -> std::io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let bytes = module.serialize().map_err(std::io::Error::other)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    prune(dir, keep);
    Ok(())
}

/// Removes all but the `keep` newest entries of `dir`.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == SUFFIX))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, path) in files.into_iter().skip(keep) {
        let _ = fs::remove_file(path);
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

        // A damaged entry is replaced by a new compilation.  (Entries are
        // never rewritten in place while mapped: `store` renames.)
        drop(module);
        let entry = dir.join(entry_name(&engine, &wasm));
        fs::write(&entry, b"not a compiled module").unwrap();
        let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        let (_, src) = load_or_compile(&engine, &wasm, Some(&dir), KEEP).unwrap();
        assert_eq!(src, Source::Cached);

        // Without a cache, nothing is stored.
        let (_, src) = load_or_compile(&engine, &wasm, None, KEEP).unwrap();
        assert_eq!(src, Source::Compiled);
        // A module that does not compile is an error, and not cached.
        assert!(load_or_compile(&engine, b"\0asm\x01\0\0\0\x99", Some(&dir), KEEP).is_err());
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
        prune(&dir, 2);
        let mut left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["4.cwasm", "5.cwasm", "keep.txt"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
