//! Command-line arguments of the `sunco-emulator` binary.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
sunco-emulator: a local, in-memory fake of the Sunshine Conversations v2 API

Usage: sunco-emulator [--host HOST] [--port PORT] [--seed FILE] [--log-limit N]
                      [--log-bytes SIZE] [--header-timeout SECS] [--body-timeout SECS]
                      [--max-messages N] [--webhook-backoff MS] [--webhook-attempts N]
                      [--webhook-timeout MS] [--webhook-any-host]

Options:
  --host HOST            address to bind (default 127.0.0.1)
  --port PORT            port to bind; 0 picks a free one (default 0)
  --seed FILE            JSON seed of apps, keys and users (default: the built-in seed)
  --log-limit N          most requests kept by /_emulator/requests; older ones are dropped
                         (default 100000)
  --log-bytes SIZE       most memory the request log may use, in bytes or with a K, M or G
                         suffix (powers of 1024); older requests are dropped (default 64M)
  --header-timeout SECS  close a connection whose request headers (or next request, when
                         idle) do not arrive within SECS seconds; 0 never (default 30)
  --body-timeout SECS    answer 408 and close the connection when a request body does not
                         arrive within SECS seconds of its headers; 0 never (default 30)
  --max-messages N       most messages a conversation holds; posting more is answered
                         423 locked (default 30000, the real service's limit)
  --webhook-backoff MS   wait before retrying a failed webhook delivery, doubled before each
                         later attempt (default 1000; 0 retries at once)
  --webhook-attempts N   attempts per webhook event, the first included (default 5)
  --webhook-timeout MS   longest wait for a webhook target's answer (default 10000)
  --webhook-any-host     deliver webhooks to any host (by default only to loopback targets:
                         127.0.0.0/8, ::1, localhost; others are logged as skipped)
  -h, --help             print this help

The first line of standard output is the base URL, e.g. http://127.0.0.1:43123.
SIGINT or SIGTERM stops the server gracefully (exit status 0).
";

/// Default for `--log-limit`.
pub const DEFAULT_LOG_LIMIT: usize = 100_000;
/// Default for `--log-bytes`: 64 MiB.
pub const DEFAULT_LOG_BYTES: usize = 64 * 1024 * 1024;
/// Default for `--header-timeout`.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Default for `--body-timeout`.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Default for `--max-messages`: the real service's limit per conversation.
pub const DEFAULT_MAX_MESSAGES: usize = 30_000;

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
    /// Most bytes the request log may hold.
    pub log_bytes: usize,
    /// Longest wait for request headers; `None` never gives up.
    pub header_timeout: Option<Duration>,
    /// Longest wait for a request body after its headers; `None` never gives up.
    pub body_timeout: Option<Duration>,
    /// Most messages a conversation holds.
    pub max_messages: usize,
    /// Webhook delivery retries.
    pub webhooks: crate::DeliverySettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 0,
            seed: None,
            log_limit: DEFAULT_LOG_LIMIT,
            log_bytes: DEFAULT_LOG_BYTES,
            header_timeout: Some(DEFAULT_HEADER_TIMEOUT),
            body_timeout: Some(DEFAULT_BODY_TIMEOUT),
            max_messages: DEFAULT_MAX_MESSAGES,
            webhooks: crate::DeliverySettings::default(),
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
        if arg == "--webhook-any-host" {
            options.webhooks.any_host = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if !matches!(
            flag.as_str(),
            "--host"
                | "--port"
                | "--seed"
                | "--log-limit"
                | "--log-bytes"
                | "--header-timeout"
                | "--body-timeout"
                | "--max-messages"
                | "--webhook-backoff"
                | "--webhook-attempts"
                | "--webhook-timeout"
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
            "--log-limit" => {
                options.log_limit = value.parse().map_err(|_| {
                    format!("--log-limit must be a non-negative integer, got {value:?}")
                })?;
            }
            "--log-bytes" => options.log_bytes = parse_size(&value)?,
            "--header-timeout" => options.header_timeout = parse_timeout(&flag, &value)?,
            "--max-messages" => {
                options.max_messages =
                    value
                        .parse()
                        .ok()
                        .filter(|n: &usize| *n >= 1)
                        .ok_or_else(|| {
                            format!("--max-messages must be a positive integer, got {value:?}")
                        })?;
            }
            "--webhook-backoff" => {
                options.webhooks.backoff_ms = parse_ms(&flag, &value, 0)?;
            }
            "--webhook-timeout" => {
                options.webhooks.timeout_ms = parse_ms(&flag, &value, 1)?;
            }
            "--webhook-attempts" => {
                options.webhooks.max_attempts = value
                    .parse()
                    .ok()
                    .filter(|n: &u32| (1..=100).contains(n))
                    .ok_or_else(|| {
                        format!(
                            "--webhook-attempts must be an integer from 1 to 100, got {value:?}"
                        )
                    })?;
            }
            _ => options.body_timeout = parse_timeout(&flag, &value)?,
        }
    }
    Ok(Command::Run(options))
}

/// A byte count: digits, optionally followed by `K`, `M` or `G` (powers of 1024).
fn parse_size(value: &str) -> Result<usize, String> {
    let error = || {
        format!(
            "--log-bytes must be a number of bytes, optionally with a K, M or G suffix, got {value:?}"
        )
    };
    let (digits, unit) = match value.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let unit: usize = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(error()),
            };
            (&value[..i], unit)
        }
        _ => (value, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error());
    }
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(error)
}

/// Milliseconds from `min` to 600000.
fn parse_ms(flag: &str, value: &str, min: u64) -> Result<u64, String> {
    value
        .parse()
        .ok()
        .filter(|n: &u64| (min..=600_000).contains(n))
        .ok_or_else(|| {
            format!("{flag} must be an integer number of milliseconds from {min} to 600000, got {value:?}")
        })
}

/// A timeout in seconds (fractions allowed); `0` means none.
fn parse_timeout(flag: &str, value: &str) -> Result<Option<Duration>, String> {
    let seconds: f64 = value
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && (0.0..=1e9).contains(s))
        .ok_or_else(|| {
            format!("{flag} must be a number of seconds from 0 to 1e9, got {value:?}")
        })?;
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
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
        let Ok(Command::Run(o)) = run(&[
            "--log-bytes=16M",
            "--header-timeout",
            "0.25",
            "--body-timeout=0",
        ]) else {
            panic!()
        };
        assert_eq!(o.log_bytes, 16 << 20);
        assert_eq!(o.header_timeout, Some(Duration::from_millis(250)));
        assert_eq!(o.body_timeout, None);
        let Ok(Command::Run(o)) = run(&["--max-messages=3"]) else {
            panic!()
        };
        assert_eq!(o.max_messages, 3);
        let Ok(Command::Run(o)) = run(&[
            "--webhook-backoff=0",
            "--webhook-attempts",
            "3",
            "--webhook-timeout=250",
            "--webhook-any-host",
        ]) else {
            panic!()
        };
        assert_eq!(
            (
                o.webhooks.backoff_ms,
                o.webhooks.max_attempts,
                o.webhooks.timeout_ms
            ),
            (0, 3, 250)
        );
        assert!(o.webhooks.any_host);
        assert!(!Options::default().webhooks.any_host);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("8k"), Ok(8192));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        for bad in ["", "M", "-1", "1.5M", "12T", "1 M", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn errors() {
        assert!(run(&["--port", "x"]).unwrap_err().contains("--port"));
        assert!(run(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(run(&["--bogus"]).unwrap_err().contains("--bogus"));
        assert!(run(&["extra"]).is_err());
        assert!(
            run(&["--body-timeout", "-1"])
                .unwrap_err()
                .contains("--body-timeout")
        );
        assert!(run(&["--header-timeout", "NaN"]).is_err());
        assert!(
            run(&["--max-messages", "0"])
                .unwrap_err()
                .contains("--max-messages")
        );
        for bad in [
            ["--webhook-attempts", "0"],
            ["--webhook-backoff", "-5"],
            ["--webhook-timeout", "0"],
        ] {
            assert!(run(&bad).unwrap_err().contains(bad[0]), "{bad:?}");
        }
        assert!(
            run(&["--log-bytes", "lots"])
                .unwrap_err()
                .contains("--log-bytes")
        );
    }
}
