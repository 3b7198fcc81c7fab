//! The README's tour stays true: each `nianbao check`, `nianbao rules` and `nianbao score` example in it is run with
//! its arguments and its output compared with what the README shows (a line `…`
//! stands for any lines).

/// The console blocks of the README: the command after `$ ` and the lines shown.
fn examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```console" {
            continue;
        }
        // A block may hold several commands, each followed by what it prints.
        for line in lines.by_ref().take_while(|l| *l != "```") {
            match line.strip_prefix("$ ") {
                Some(command) => out.push((command.to_string(), Vec::new())),
                None => {
                    if let Some((_, shown)) = out.last_mut() {
                        shown.push(line.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_readme_check_examples_are_what_the_binary_prints() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let checks: Vec<_> = examples(&readme)
        .into_iter()
        .filter(|(c, _)| {
            ["nianbao check ", "nianbao rules", "nianbao score "]
                .iter()
                .any(|p| c.starts_with(p))
        })
        .collect();
    assert!(
        checks.len() >= 4,
        "the tour shows `nianbao check` and `nianbao rules`"
    );
    for (command, shown) in checks {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .current_dir(root)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .args(&args)
            .output()
            .expect("nianbao runs");
        let printed = String::from_utf8(out.stdout).expect("UTF-8");
        let printed: Vec<&str> = printed.lines().collect();
        // Each shown line in order; `…` skips to the next shown line.
        let mut at = 0;
        let mut skipping = false;
        for line in &shown {
            if line == "…" {
                skipping = true;
                continue;
            }
            let found = if skipping {
                printed[at..].iter().position(|p| p == line).map(|i| at + i)
            } else {
                (printed.get(at) == Some(&line.as_str())).then_some(at)
            };
            let Some(i) = found else {
                panic!(
                    "README example `{command}`: `{line}` is not printed there; the binary prints:\n{}",
                    printed.join("\n")
                );
            };
            at = i + 1;
            skipping = false;
        }
        assert!(
            skipping || at == printed.len(),
            "README example `{command}` shows less than the binary prints"
        );
    }
}
