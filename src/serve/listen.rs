//! The HTTP/1.1 server of `aimsdoc serve`: accepts connections, keeps their number bounded,
//! and runs each on its own thread through the [`Service`] that answers requests.
//!
//! Why not tiny_http (which served before): tiny_http 0.12 accepts in its own thread and
//! starts a thread for every connection without a bound; it reads request lines and headers
//! into memory without a size limit; it never sets socket timeouts, and the sockets it
//! accepts are out of reach (`Server::from_listener` only hands it the listener); and its
//! responses block their worker until the client has read them all. None of that can be
//! configured, so a few clients that stop reading, or a flood of half-open connections,
//! stalled the server. This module is the small part of HTTP/1.1 a local preview needs, with
//! every limit in [`Limits`]; parsing a head is left to `httparse`.
//!
//! Limits: at most [`Limits::max_connections`] connections; when full, the connection that
//! has waited longest for a request is closed to make room, and when none is waiting the new
//! one gets 503. Each connection reads its head within [`Limits::head_timeout`] and the size
//! limits (414, 431), writes with [`Limits::write_timeout`] per write and a deadline for the
//! whole response, and closes after [`Limits::max_requests`] requests or
//! [`Limits::idle_timeout`] without one.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::wire::{self, Limits, Request, Response};

/// What the server does with a request.
pub enum Reply {
    /// Send this response.
    Response(Response),
    /// Hand the connection to [`Service::stream`] (an event stream); nothing more is read.
    Stream,
}

/// Answers requests.
pub trait Service: Send + Sync + 'static {
    /// The reply to one request.
    fn answer(&self, req: &Request) -> Reply;
    /// Serves a long-lived stream on `socket` until it ends (after [`Reply::Stream`]).
    fn stream(&self, socket: TcpStream);
}

const IDLE: u8 = 0;
const BUSY: u8 = 1;
const STREAM: u8 = 2;
const CLOSED: u8 = 3;

/// One open connection as the table sees it.
struct Slot {
    state: AtomicU8,
    /// When it last started waiting for a request (a sequence number, smaller is older).
    since: AtomicU64,
    socket: TcpStream,
}

/// The open connections.
#[derive(Default)]
struct Table {
    slots: Mutex<HashMap<u64, Arc<Slot>>>,
    next: AtomicU64,
}

impl Table {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers `socket`, closing the longest-waiting idle connection when `max` are open;
    /// `None` when all are busy.
    fn admit(&self, socket: &TcpStream, max: usize) -> Option<(u64, Arc<Slot>)> {
        let handle = socket.try_clone().ok()?;
        let mut slots = self.lock();
        while slots.len() >= max {
            let oldest = slots
                .iter()
                .filter(|(_, s)| s.state.load(Ordering::Acquire) == IDLE)
                .min_by_key(|(_, s)| s.since.load(Ordering::Acquire))
                .map(|(id, s)| (*id, Arc::clone(s)))?;
            let (id, slot) = oldest;
            if slot
                .state
                .compare_exchange(IDLE, CLOSED, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                let _ = slot.socket.shutdown(Shutdown::Both);
                slots.remove(&id);
            }
        }
        let id = self.next.fetch_add(1, Ordering::AcqRel);
        let slot = Arc::new(Slot {
            state: AtomicU8::new(BUSY),
            since: AtomicU64::new(id),
            socket: handle,
        });
        slots.insert(id, Arc::clone(&slot));
        Some((id, slot))
    }

    /// Marks the slot as waiting for a request; false when it was closed to make room.
    fn idle(&self, slot: &Slot) -> bool {
        slot.since
            .store(self.next.fetch_add(1, Ordering::AcqRel), Ordering::Release);
        slot.state
            .compare_exchange(BUSY, IDLE, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    fn set(slot: &Slot, to: u8) -> bool {
        slot.state
            .compare_exchange(IDLE, to, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
            || slot
                .state
                .compare_exchange(BUSY, to, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }
}

/// Starts serving `listener` on a thread of its own.
pub fn start(
    listener: TcpListener,
    service: Arc<dyn Service>,
    limits: Limits,
) -> std::io::Result<()> {
    let table = Arc::new(Table::default());
    let limits = Arc::new(limits);
    std::thread::Builder::new()
        .name("aimsdoc-accept".into())
        .spawn(move || accept_loop(&listener, &service, &table, &limits))
        .map(|_| ())
}

fn accept_loop(
    listener: &TcpListener,
    service: &Arc<dyn Service>,
    table: &Arc<Table>,
    limits: &Arc<Limits>,
) {
    loop {
        let socket = match listener.accept() {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors or a connection reset before it was accepted.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let Some((id, slot)) = table.admit(&socket, limits.max_connections) else {
            refuse(socket);
            continue;
        };
        let (service, table2, limits2) =
            (Arc::clone(service), Arc::clone(table), Arc::clone(limits));
        let spawned = std::thread::Builder::new()
            .name("aimsdoc-http".into())
            .stack_size(512 * 1024)
            .spawn(move || {
                connection(socket, &slot, &*service, &table2, &limits2);
                table2.remove(id);
            });
        if spawned.is_err() {
            table.remove(id);
        }
    }
}

/// 503 to a connection over the limit, without waiting for it.
fn refuse(socket: TcpStream) {
    let resp = Response::text(
        503,
        "503 Service Unavailable: aimsdoc serve has too many connections open; try again\n",
    )
    .with_header("Retry-After", "1");
    let _ = socket.set_nonblocking(true);
    let _ = (&socket).write_all(&wire::response_bytes(&resp));
    let _ = socket.shutdown(Shutdown::Write);
}

/// Closes after a last response: stops sending, then reads (and drops) what the client still
/// sends for a moment, so that closing does not reset the connection before the client has
/// read the response.
fn linger_close(socket: &mut TcpStream) {
    let _ = socket.shutdown(Shutdown::Write);
    let _ = socket.set_read_timeout(Some(Duration::from_millis(500)));
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    let mut scratch = [0u8; 8192];
    let mut left: usize = 256 * 1024;
    while left > 0 && std::time::Instant::now() < deadline {
        match socket.read(&mut scratch) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Serves the requests of one connection.
fn connection(
    mut socket: TcpStream,
    slot: &Slot,
    service: &dyn Service,
    table: &Table,
    limits: &Limits,
) {
    let _ = socket.set_nodelay(true);
    if socket
        .set_write_timeout(Some(limits.write_timeout))
        .is_err()
    {
        return;
    }
    let mut buf = Vec::new();
    for n in 1..=limits.max_requests {
        if !table.idle(slot) {
            return;
        }
        let head = wire::read_head(&mut socket, &mut buf, limits);
        if !Table::set(slot, BUSY) {
            return;
        }
        let req = match head {
            Ok(req) => req,
            Err(e) => {
                if let Some(resp) = e.response() {
                    if wire::write_response(&mut socket, &resp, false, false, limits).is_ok() {
                        linger_close(&mut socket);
                    }
                }
                return;
            }
        };
        match service.answer(&req) {
            Reply::Stream => {
                if Table::set(slot, STREAM) {
                    service.stream(socket);
                }
                return;
            }
            Reply::Response(resp) => {
                let keep =
                    req.keep_alive() && !req.has_body() && !resp.close && n < limits.max_requests;
                let head_only = req.method == "HEAD";
                if wire::write_response(&mut socket, &resp, head_only, keep, limits).is_err() {
                    return;
                }
                if !keep {
                    linger_close(&mut socket);
                    return;
                }
            }
        }
    }
    let _ = socket.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_table_closes_the_longest_waiting_idle_connection_or_refuses() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let clients: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let servers: Vec<TcpStream> = (0..4).map(|_| l.accept().unwrap().0).collect();
        let table = Table::default();
        let (_, a) = table.admit(&servers[0], 2).unwrap();
        let (_, b) = table.admit(&servers[1], 2).unwrap();
        assert!(table.idle(&b));
        assert!(table.idle(&a));
        // Full: b has waited longest and is closed to make room.
        let (_, c) = table.admit(&servers[2], 2).unwrap();
        assert_eq!(b.state.load(Ordering::Acquire), CLOSED);
        assert!(!table.idle(&b), "a closed connection stays closed");
        assert!(!Table::set(&b, BUSY));
        let mut byte = [0u8; 1];
        let mut evicted = &clients[1];
        assert_eq!(
            evicted.read(&mut byte).unwrap(),
            0,
            "its client sees the end"
        );
        // Full with nobody idle: refused.
        assert!(Table::set(&a, BUSY));
        assert!(Table::set(&c, STREAM));
        assert!(table.admit(&servers[3], 2).is_none());
        assert_eq!(table.lock().len(), 2);
    }
}
