//! The `sunco-emulator` binary: parses flags, prints the base URL, serves until SIGINT/SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use sunco_emulator::cli::{self, Command};
use sunco_emulator::{Config, Emulator, Seed};
use tokio::signal::unix::{SignalKind, signal};

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(options)) => options,
        Err(message) => {
            eprintln!("sunco-emulator: {message}\nTry 'sunco-emulator --help'.");
            return ExitCode::from(2);
        }
    };
    let seed = match &options.seed {
        None => Seed::default(),
        Some(path) => match Seed::from_file(path) {
            Ok(seed) => seed,
            Err(message) => {
                eprintln!("sunco-emulator: {message}");
                return ExitCode::from(2);
            }
        },
    };
    let config = Config {
        host: options.host,
        port: options.port,
        seed,
        log_limit: options.log_limit,
        log_bytes: options.log_bytes,
        header_timeout: options.header_timeout,
        body_timeout: options.body_timeout,
        max_messages: options.max_messages,
        webhooks: options.webhooks,
    };

    // A few workers are plenty for a loopback fake and leave cores to the client under test.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sunco-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sunco-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> std::io::Result<()> {
    // Handlers are installed before the URL is printed, so a signal sent as soon as the URL is
    // read already means "shut down gracefully".
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let (host, port) = (config.host.clone(), config.port);
    let emulator = Emulator::start(config).await.map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot listen on {host}:{port}: {e}"))
    })?;
    {
        let mut out = std::io::stdout().lock();
        // Nobody reading stdout is no reason to stop serving.
        let _ = writeln!(out, "{}", emulator.url()).and_then(|()| out.flush());
    }
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    emulator.shutdown().await;
    Ok(())
}
