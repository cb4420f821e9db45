//! The `lodestone` binary: parses the command line, runs the use case in `lodestone-app`, and
//! renders the result. Exit codes: 0 ok, 1 failure (no data, infeasible, cancelled, internal),
//! 2 usage or input error (bad flags, unknown names, malformed or unreadable files, work over a
//! budget).

mod cli;
mod commands;
mod output;

use clap::Parser;
use lodestone_app::ErrorKind;

fn main() {
    let args = cli::Cli::parse();
    let code = match commands::run(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            match e.kind {
                ErrorKind::NotFound | ErrorKind::Invalid | ErrorKind::OverBudget => 2,
                ErrorKind::NoData
                | ErrorKind::Infeasible
                | ErrorKind::Cancelled
                | ErrorKind::Internal => 1,
            }
        }
    };
    std::process::exit(code);
}
