//! Which `Host` headers `aimsdoc serve` answers.
//!
//! A web page on any site can make the browser send requests to a name that its owner later
//! points at 127.0.0.1 (DNS rebinding); the browser then treats the manual as that site's
//! and lets its script read it. Such requests carry the attacker's name in `Host`, so only
//! names that mean this server are answered: `localhost`, `127.0.0.1`, `[::1]`, the address
//! given with `--bind`, the address the client connected to, and names given with
//! `--allow-host`, each with or without a port. Others get 421 with a hint.

use std::net::IpAddr;

/// A host as a `Host` header or `--allow-host` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostName {
    /// An IP address (IPv6 without brackets).
    Ip(IpAddr),
    /// A DNS name, lower case, without a trailing dot.
    Name(String),
}

fn name(s: &str) -> Option<HostName> {
    let s = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    ok.then_some(HostName::Name(s))
}

fn ip_or_name(s: &str) -> Option<HostName> {
    match s.parse::<IpAddr>() {
        Ok(ip) => Some(HostName::Ip(ip.to_canonical())),
        Err(_) => name(s),
    }
}

/// The host of a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`), or `None`
/// when it is not one.
pub fn parse_host_header(value: &str) -> Option<HostName> {
    let value = value.trim();
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let ip = v6.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (HostName::Ip(IpAddr::V6(ip).to_canonical()), port)
    } else {
        let (h, port) = match value.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        };
        if h.parse::<std::net::Ipv6Addr>().is_ok() {
            return None;
        }
        (ip_or_name(h)?, port)
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok.then_some(host)
}

/// Checks a `--allow-host` value: a host name or an IP address, without a port.
pub fn parse_allow_host(s: &str) -> Result<String, String> {
    let bare = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    if bare.parse::<IpAddr>().is_ok() || (!bare.contains(':') && name(bare).is_some()) {
        Ok(s.to_string())
    } else if bare.contains(':') {
        Err("give a host name or an IP address without a port (e.g. --allow-host docs.example.internal)".into())
    } else {
        Err("not a host name: use letters, digits, '-', '.' (e.g. --allow-host docs.example.internal)".into())
    }
}

/// The hosts one `aimsdoc serve` answers for.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    allowed: Vec<HostName>,
}

impl HostPolicy {
    /// `localhost`, the loopback addresses, `bind` (unless unspecified) and `extra`
    /// (values accepted by [`parse_allow_host`]; others are skipped).
    pub fn new(bind: IpAddr, extra: &[String]) -> HostPolicy {
        let mut allowed = vec![
            HostName::Name("localhost".into()),
            HostName::Ip(IpAddr::from([127, 0, 0, 1])),
            HostName::Ip(std::net::Ipv6Addr::LOCALHOST.into()),
        ];
        if !bind.is_unspecified() {
            allowed.push(HostName::Ip(bind.to_canonical()));
        }
        for e in extra {
            let bare = e
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .unwrap_or(e);
            if let Some(h) = ip_or_name(bare) {
                allowed.push(h);
            }
        }
        HostPolicy { allowed }
    }

    /// Whether a request with `Host: value`, received on local address `local`, is answered.
    pub fn allows(&self, value: &str, local: Option<IpAddr>) -> bool {
        match parse_host_header(value) {
            Some(HostName::Ip(ip)) if local.is_some_and(|l| l.to_canonical() == ip) => true,
            Some(h) => self.allowed.contains(&h),
            None => false,
        }
    }
}

/// Printable text of an untrusted header value, shortened, for an error message.
pub fn shown(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(80)
        .collect();
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> HostPolicy {
        HostPolicy::new(IpAddr::from([127, 0, 0, 1]), &[])
    }

    #[test]
    fn loopback_names_are_allowed_with_or_without_port() {
        let p = local();
        for ok in [
            "localhost",
            "LOCALHOST:3000",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:3000",
        ] {
            assert!(p.allows(ok, None), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "localhost:abc",
            "localhost:",
            "::1",
            "[::1",
            "",
            "127.1",
            "a b",
        ] {
            assert!(!p.allows(bad, None), "{bad}");
        }
    }

    #[test]
    fn bind_local_address_and_allow_host_are_allowed() {
        let p = HostPolicy::new(
            "0.0.0.0".parse().unwrap(),
            &[
                "Docs.Example.Internal".into(),
                "[fd00::7]".into(),
                "10.1.2.3".into(),
            ],
        );
        assert!(p.allows("docs.example.internal:3000", None));
        assert!(p.allows("[fd00::7]:3000", None));
        assert!(p.allows("10.1.2.3", None));
        assert!(!p.allows("0.0.0.0", None));
        assert!(!p.allows("192.168.1.5:3000", None));
        assert!(p.allows("192.168.1.5:3000", Some("192.168.1.5".parse().unwrap())));
        assert!(p.allows("192.168.1.5", Some("::ffff:192.168.1.5".parse().unwrap())));
        let p = HostPolicy::new("192.168.1.5".parse().unwrap(), &[]);
        assert!(p.allows("192.168.1.5:3000", None));
    }

    #[test]
    fn allow_host_values_are_checked() {
        for ok in ["docs.example", "intranet", "10.0.0.1", "::1", "[fe80::1]"] {
            assert!(parse_allow_host(ok).is_ok(), "{ok}");
        }
        for bad in ["docs.example:3000", "*", "a/b", "", "http://x"] {
            assert!(parse_allow_host(bad).is_err(), "{bad}");
        }
    }
}
