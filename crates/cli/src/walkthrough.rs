//! `tessera walkthrough`: the chapter's twelve examples (`crates/book/examples/`), run in order,
//! each under a heading that names its file. The same code runs with
//! `cargo run --release --example NAME`.

use std::io::{BufRead, IsTerminal};
use tessera_book::{CHAPTERS, Chapter};

/// Options of `tessera walkthrough`.
#[derive(clap::Args)]
pub struct WalkthroughArgs {
    /// Only these examples, by number or name (comma-separated), e.g. `3,5` or `05_dot`.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Start at this example (number or name) and run the rest.
    #[arg(long)]
    from: Option<String>,
    /// List the examples and exit.
    #[arg(long)]
    list: bool,
    /// Run straight through without waiting for Enter between examples (the default when not
    /// run from a terminal).
    #[arg(long)]
    no_pause: bool,
}

/// Whether `key` (`3`, `03`, `03_element_wise`) names the example at `index` (0-based).
fn names(key: &str, index: usize, chapter: &Chapter) -> bool {
    key == chapter.name || key.parse::<usize>().is_ok_and(|n| n == index + 1)
}

fn position(key: &str) -> crate::CliResult<usize> {
    CHAPTERS.iter().enumerate().position(|(i, c)| names(key, i, c)).ok_or_else(|| {
        format!("no example {key:?}: give a number from 1 to {} or a name from `--list`", CHAPTERS.len())
            .into()
    })
}

/// The examples print with `println!`, which panics when stdout is closed
/// (`tessera walkthrough | head`); that panic ends the walkthrough quietly, as `out!` does.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") {
            std::process::exit(0);
        }
        default(info);
    }));
}

pub fn run(args: &WalkthroughArgs) -> crate::CliResult {
    quiet_on_closed_stdout();
    if args.list {
        for (i, c) in CHAPTERS.iter().enumerate() {
            out!("{:>2}  {:<24} {}", i + 1, c.name, c.title);
        }
        return Ok(());
    }
    let mut chosen: Vec<usize> = if args.only.is_empty() {
        (0..CHAPTERS.len()).collect()
    } else {
        args.only.iter().map(|k| position(k)).collect::<Result<_, _>>()?
    };
    if let Some(from) = &args.from {
        let start = position(from)?;
        chosen.retain(|&i| i >= start);
    }
    let pause = !args.no_pause && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    for (k, &i) in chosen.iter().enumerate() {
        let c = &CHAPTERS[i];
        out!("━━ {} · {} (crates/book/examples/{}.rs)\n", c.name, c.title, c.name);
        (c.run)().map_err(|e| format!("example {} failed: {e}", c.name))?;
        if k + 1 < chosen.len() {
            out!("");
            if pause {
                eprint!("[Enter: next example, Ctrl-C: stop] ");
                std::io::stdin().lock().read_line(&mut String::new())?;
            }
        }
    }
    Ok(())
}
