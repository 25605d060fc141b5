//! Redirects: old addresses kept alive. Imports write them for every permalink of
//! the old site; editors add, remove, import and export them in the back office.
//! Readers' requests that found nothing are looked up here before the 404 page.

use crate::App;
use crate::error::{Error, FieldError, Result};
use crate::policy::{self, Actor};
use kiosque_domain::page::PageId;
use kiosque_domain::redirect::{
    NewRedirect, Redirect, RedirectAnswer, RedirectStatus, RedirectTarget, redirect_key,
    valid_location,
};
use kiosque_domain::store::RedirectQuery;

/// Largest CSV file accepted by [`import_csv`].
pub const MAX_CSV_BYTES: usize = 8 * 1024 * 1024;
/// Most rows one CSV import writes.
pub const MAX_CSV_ROWS: usize = 100_000;

/// What an editor asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectForm {
    pub path: String,
    pub prefix: bool,
    /// Empty for 410.
    pub target: String,
    pub status: u16,
}

fn check(form: &RedirectForm) -> std::result::Result<NewRedirect, Vec<FieldError>> {
    let mut errors = Vec::new();
    let path = redirect_key(&form.path);
    if path.is_none() {
        errors.push(FieldError::new(
            "path",
            "admin-error-redirect-path",
            "the old address is a path starting with / (\"/2019/05/old-title/\", \"/?p=12\")",
        ));
    }
    if path.as_deref() == Some("/") && form.prefix {
        errors.push(FieldError::new(
            "path",
            "admin-error-redirect-root",
            "a prefix of / would redirect the whole site",
        ));
    }
    let status = match form.status {
        301 => Some(RedirectStatus::Permanent),
        302 => Some(RedirectStatus::Temporary),
        410 => Some(RedirectStatus::Gone),
        _ => {
            errors.push(FieldError::new(
                "status",
                "admin-error-redirect-status",
                "the answer is 301, 302 or 410",
            ));
            None
        }
    };
    let target = form.target.trim();
    let target = match status {
        Some(RedirectStatus::Gone) => RedirectTarget::Nothing,
        _ if valid_location(target) && target.len() <= 2000 => {
            RedirectTarget::Url(target.to_owned())
        }
        _ => {
            errors.push(FieldError::new(
                "target",
                "admin-error-redirect-target",
                "the new address is a path on this site (/monde/) or an http(s) address",
            ));
            RedirectTarget::Nothing
        }
    };
    if let (Some(path), RedirectTarget::Url(url)) = (&path, &target)
        && redirect_key(url).as_deref() == Some(path)
    {
        errors.push(FieldError::new(
            "target",
            "admin-error-redirect-loop",
            "an address cannot redirect to itself",
        ));
    }
    match (path, status, errors.is_empty()) {
        (Some(path), Some(status), true) => Ok(NewRedirect {
            path,
            prefix: form.prefix,
            target,
            status,
        }),
        _ => Err(errors),
    }
}

pub async fn add(app: &App, actor: &Actor, form: &RedirectForm) -> Result<()> {
    policy::manage_site_pages(actor)?;
    let redirect = check(form).map_err(Error::Invalid)?;
    app.stores
        .redirects
        .save_redirects(std::slice::from_ref(&redirect), "manual", app.now())
        .await?;
    audit(app, actor, "redirect.add", &describe(&redirect)).await?;
    app.public_changed();
    Ok(())
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    policy::manage_site_pages(actor)?;
    let redirect = app.stores.redirects.redirect(id).await?;
    app.stores.redirects.delete_redirect(id).await?;
    audit(
        app,
        actor,
        "redirect.delete",
        &format!("{} ({})", redirect.path, redirect.status.code()),
    )
    .await?;
    app.public_changed();
    Ok(())
}

/// One page of redirects whose old or new address contains `search`, and how many
/// there are in all.
pub async fn list(
    app: &App,
    actor: &Actor,
    search: &str,
    limit: u32,
    offset: u32,
) -> Result<(Vec<Redirect>, u64)> {
    policy::manage_site_pages(actor)?;
    let query = RedirectQuery {
        search: search.chars().take(200).collect(),
        limit: limit.min(500),
        offset,
    };
    let rows = app.stores.redirects.redirects(&query).await?;
    let total = app.stores.redirects.count_redirects(&query.search).await?;
    Ok((rows, total))
}

/// Reads `path,target,status[,prefix]` rows (a header row is allowed) and saves them
/// all, or none when a row is wrong: the errors name their lines.
pub async fn import_csv(app: &App, actor: &Actor, text: &str) -> Result<usize> {
    policy::manage_site_pages(actor)?;
    if text.len() > MAX_CSV_BYTES {
        return Err(Error::invalid(
            "file",
            "admin-error-redirect-csv-size",
            format!("the file is limited to {} MB", MAX_CSV_BYTES / 1024 / 1024),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut batch = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError::new(
                    "file",
                    "admin-error-redirect-csv",
                    format!("line {line}: {e}"),
                ));
                continue;
            }
        };
        let field = |n: usize| record.get(n).unwrap_or_default();
        if line == 1 && field(0).eq_ignore_ascii_case("path") {
            continue;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let form = RedirectForm {
            path: field(0).to_owned(),
            target: field(1).to_owned(),
            status: field(2)
                .parse()
                .unwrap_or(if field(2).is_empty() { 301 } else { 0 }),
            prefix: matches!(field(3), "prefix" | "1" | "true" | "oui"),
        };
        match check(&form) {
            Ok(r) => batch.push(r),
            Err(problems) => {
                for p in problems {
                    errors.push(FieldError::new(
                        "file",
                        "admin-error-redirect-csv",
                        format!("line {line}: {}", p.message),
                    ));
                }
            }
        }
        if batch.len() > MAX_CSV_ROWS {
            errors.push(FieldError::new(
                "file",
                "admin-error-redirect-csv",
                format!("more than {MAX_CSV_ROWS} rows"),
            ));
            break;
        }
    }
    if !errors.is_empty() {
        errors.truncate(50);
        return Err(Error::Invalid(errors));
    }
    app.stores
        .redirects
        .save_redirects(&batch, "manual", app.now())
        .await?;
    audit(
        app,
        actor,
        "redirect.import",
        &format!("{} rows from a CSV file", batch.len()),
    )
    .await?;
    app.public_changed();
    Ok(batch.len())
}

/// Every redirect as CSV (`path,target,status,prefix`), as [`import_csv`] reads it.
pub async fn export_csv(app: &App, actor: &Actor) -> Result<String> {
    policy::manage_site_pages(actor)?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, row: [&str; 4]| {
        w.write_record(row)
            .map_err(|e| Error::Internal(e.to_string()))
    };
    write(&mut writer, ["path", "target", "status", "prefix"])?;
    let mut offset = 0;
    loop {
        let query = RedirectQuery {
            search: String::new(),
            limit: 1000,
            offset,
        };
        let rows = app.stores.redirects.redirects(&query).await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let status = r.status.code().to_string();
            write(
                &mut writer,
                [
                    &r.path,
                    r.location.as_deref().unwrap_or_default(),
                    &status,
                    if r.prefix { "prefix" } else { "" },
                ],
            )?;
        }
        offset += 1000;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))
}

/// What a request for `path` and `query` that found nothing is answered with. Home
/// page queries (`/?p=12`, `/?page_id=3`) are WordPress's short links.
pub async fn resolve(app: &App, path: &str, query: Option<&str>) -> Result<Option<RedirectAnswer>> {
    let key = match query {
        Some(q) if path == "/" => {
            let wanted = q
                .split('&')
                .find(|pair| pair.starts_with("p=") || pair.starts_with("page_id="));
            match wanted {
                Some(pair) => format!("/?{pair}"),
                None => return Ok(None),
            }
        }
        _ => path.to_owned(),
    };
    let Some(key) = redirect_key(&key) else {
        return Ok(None);
    };
    let answer = app.stores.redirects.find_redirect(&key).await?;
    // Never send a reader back where they are.
    Ok(answer.filter(|a| {
        a.location
            .as_deref()
            .and_then(redirect_key)
            .is_none_or(|l| l != key)
    }))
}

/// After a static page moved: its former address leads to it.
pub async fn follow_move(app: &App, old_path: &str, page: PageId) -> Result<()> {
    let Some(path) = redirect_key(old_path) else {
        return Ok(());
    };
    app.stores
        .redirects
        .save_redirects(
            &[NewRedirect {
                path,
                prefix: false,
                target: RedirectTarget::Page(page),
                status: RedirectStatus::Permanent,
            }],
            "manual",
            app.now(),
        )
        .await?;
    Ok(())
}

fn describe(r: &NewRedirect) -> String {
    let target = match &r.target {
        RedirectTarget::Url(u) => u.clone(),
        RedirectTarget::Article(a) => format!("article {a}"),
        RedirectTarget::Page(p) => format!("page {p}"),
        RedirectTarget::Section(s) => format!("section {}", s.0),
        RedirectTarget::Nothing => String::new(),
    };
    format!(
        "{}{} → {} ({})",
        r.path,
        if r.prefix { "*" } else { "" },
        target,
        r.status.code()
    )
}

async fn audit(app: &App, actor: &Actor, action: &str, detail: &str) -> Result<()> {
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            action,
            "redirect",
            &format!("{detail} ({})", actor.via.as_str()),
            app.now(),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(path: &str, target: &str, status: u16) -> RedirectForm {
        RedirectForm {
            path: path.into(),
            prefix: false,
            target: target.into(),
            status,
        }
    }

    #[test]
    fn forms_are_checked() {
        assert!(check(&form("/ancien/", "/nouveau/", 301)).is_ok());
        assert!(check(&form("/ancien/", "", 410)).is_ok());
        assert!(check(&form("ancien", "/x/", 301)).is_err());
        assert!(check(&form("/a", "javascript:alert(1)", 301)).is_err());
        assert!(check(&form("/a/", "/a", 301)).is_err());
        assert!(check(&form("/a", "/b", 307)).is_err());
        let mut root = form("/", "/b", 301);
        root.prefix = true;
        assert!(check(&root).is_err());
    }
}
