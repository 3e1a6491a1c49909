//! Command-line arguments of the `sunco-emulator` binary.

use std::ffi::OsString;
use std::path::PathBuf;

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
sunco-emulator: a local, in-memory fake of the Sunshine Conversations v2 API

Usage: sunco-emulator [--host HOST] [--port PORT] [--seed FILE] [--log-limit N]

Options:
  --host HOST      address to bind (default 127.0.0.1)
  --port PORT      port to bind; 0 picks a free one (default 0)
  --seed FILE      JSON seed of apps, keys and users (default: the built-in seed)
  --log-limit N    most requests kept by /_emulator/requests; older ones are dropped
                   (default 100000)
  -h, --help       print this help

The first line of standard output is the base URL, e.g. http://127.0.0.1:43123.
SIGINT or SIGTERM stops the server gracefully (exit status 0).
";

/// Default for `--log-limit`.
pub const DEFAULT_LOG_LIMIT: usize = 100_000;

/// Options of a server run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 for any free port.
    pub port: u16,
    /// Seed file; the built-in seed when `None`.
    pub seed: Option<PathBuf>,
    /// Most entries kept in the request log.
    pub log_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 0,
            seed: None,
            log_limit: DEFAULT_LOG_LIMIT,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print [`USAGE`] and exit.
    Help,
    /// Run the server.
    Run(Options),
}

/// Parses the arguments after the program name; `--flag value` and `--flag=value` both work.
/// The error is a one-line message for standard error.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Command, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|a| format!("argument {a:?} is not valid UTF-8"))?;
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if !matches!(
            flag.as_str(),
            "--host" | "--port" | "--seed" | "--log-limit"
        ) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))?
                .into_string()
                .map_err(|a| format!("value {a:?} of {flag} is not valid UTF-8"))?,
        };
        match flag.as_str() {
            "--host" if value.is_empty() => return Err("--host must not be empty".into()),
            "--host" => options.host = value,
            "--port" => {
                options.port = value.parse().map_err(|_| {
                    format!("--port must be a number from 0 to 65535, got {value:?}")
                })?;
            }
            "--seed" => options.seed = Some(PathBuf::from(value)),
            _ => {
                options.log_limit = value.parse().map_err(|_| {
                    format!("--log-limit must be a non-negative integer, got {value:?}")
                })?;
            }
        }
    }
    Ok(Command::Run(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn defaults_and_flags() {
        assert_eq!(run(&[]), Ok(Command::Run(Options::default())));
        let Ok(Command::Run(o)) = run(&["--host", "0.0.0.0", "--port=8080", "--seed", "s.json"])
        else {
            panic!()
        };
        assert_eq!((o.host.as_str(), o.port), ("0.0.0.0", 8080));
        assert_eq!(o.seed, Some(PathBuf::from("s.json")));
        assert_eq!(run(&["--help"]), Ok(Command::Help));
    }

    #[test]
    fn errors() {
        assert!(run(&["--port", "x"]).unwrap_err().contains("--port"));
        assert!(run(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(run(&["--bogus"]).unwrap_err().contains("--bogus"));
        assert!(run(&["extra"]).is_err());
    }
}
