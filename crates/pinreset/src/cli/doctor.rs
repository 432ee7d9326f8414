//! `pinreset doctor`: the deployment checks of `pinreset_server::doctor`, printed one per line
//! with what to fix; exit status 1 when any is a problem.

use super::serve::{self, ServeArgs};
use anyhow::Result;
use pinreset_server::doctor::{self, Deployment, Status};

pub async fn run(args: ServeArgs, matches: Option<&clap::ArgMatches>) -> Result<()> {
    let args = serve::resolved(args, matches)?;
    let (data_dir, tls_cert) = (args.data_dir.clone(), args.tls_cert.clone());
    let mut opts = pinreset_server::ServeOptions::new(args.listen, args.data_dir);
    opts.database_url = args.database_url;
    let deployment = Deployment { data_dir, database_url: opts.database_url(), tls_cert };
    println!("pinreset doctor: data directory {}", deployment.data_dir.display());
    let findings = doctor::check(&deployment, chrono::Utc::now()).await;
    let width = findings.iter().map(|f| f.check.chars().count()).max().unwrap_or(0);
    for f in &findings {
        let mark = match f.status {
            Status::Ok => "ok     ",
            Status::Warning => "warning",
            Status::Problem => "PROBLEM",
        };
        println!("  {mark}  {:width$}  {}", f.check, f.found);
        if let Some(fix) = &f.fix {
            println!("  {:7}  {:width$}  fix: {fix}", "", "");
        }
    }
    let count = |s| findings.iter().filter(|f| f.status == s).count();
    let (problems, warnings) = (count(Status::Problem), count(Status::Warning));
    println!("{problems} problem(s), {warnings} warning(s)");
    anyhow::ensure!(problems == 0, "the deployment has {problems} problem(s); see above");
    Ok(())
}
