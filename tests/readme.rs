//! Every `$ dossier ...` example in README.md's ```text blocks, run in order in a temporary
//! copy of the seeds, must print what the README shows (stderr, then stdout), so the README
//! cannot drift from what dossier does. Only the time a search took is masked.

use std::path::Path;
use std::process::Command;

use regex::Regex;

const README: &str = include_str!("../README.md");
mod common;

/// An example: the command after `$ ` and the lines the README shows under it.
struct Example {
    command: String,
    shown: String,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_text_block = false;
    for line in readme.lines() {
        if !in_text_block {
            in_text_block = line == "```text";
            continue;
        }
        if line == "```" {
            in_text_block = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                command: command.to_string(),
                shown: String::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.shown.push_str(line);
            example.shown.push('\n');
        }
    }
    examples
}

/// "in 0.7 ms" differs from run to run; CSV ends its lines with CR LF, which a README's
/// text block cannot show.
fn comparable(text: &str) -> String {
    let time = Regex::new(r"(?m) in [0-9.]+ m?s$").unwrap();
    time.replace_all(&text.replace("\r\n", "\n"), " in <time>")
        .into_owned()
}

#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let examples = examples(README);
    assert!(
        examples.len() >= 5,
        "the README's tour has lost its examples"
    );
    let dir = tempfile::tempdir().unwrap();
    common::copy_seeds(dir.path());
    let binary = Path::new(env!("CARGO_BIN_EXE_dossier"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for example in &examples {
        assert!(
            example.command.starts_with("dossier "),
            "a README example runs something else: {}",
            example.command
        );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&example.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("DOSSIER_INDEX")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            comparable(&printed),
            comparable(&example.shown),
            "README example: $ {}",
            example.command
        );
    }
}

#[test]
fn an_example_is_the_command_and_the_lines_under_it() {
    let readme = "intro\n```text\n$ dossier stats\ndocuments:  5\n\n$ dossier search x\n```\n```sh\n$ dossier no\n```\n";
    let examples = examples(readme);
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].command, "dossier stats");
    assert_eq!(examples[0].shown, "documents:  5\n\n");
    assert_eq!(examples[1].shown, "");
    assert_eq!(
        comparable("1 passage from 1 of 5 documents in 0.7 ms\n"),
        "1 passage from 1 of 5 documents in <time>\n"
    );
}
