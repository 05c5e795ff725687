//! What the tests that run the `dossier` binary share.

// Each test file uses only some of these.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");

/// Copies the seed documents into `dir/seeds`.
pub fn copy_seeds(dir: &Path) {
    fs::create_dir(dir.join("seeds")).unwrap();
    for entry in fs::read_dir(SEEDS).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.join("seeds").join(entry.file_name())).unwrap();
    }
}

/// `dossier` run in `dir`, as a user runs it: without the environment that changes
/// where the index is or whether output is coloured.
pub fn dossier(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("dossier").unwrap();
    command
        .current_dir(dir)
        .env_remove("DOSSIER_INDEX")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR");
    command
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
