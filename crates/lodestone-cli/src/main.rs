//! The `lodestone` binary: parses the command line and hands over to the library crates.
//! Exit codes: 0 ok, 1 failure, 2 usage error (bad flags, unknown names).

mod cli;
mod commands;
mod output;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match commands::run(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            if commands::is_usage_error(&e) {
                2
            } else {
                1
            }
        }
    };
    std::process::exit(code);
}
