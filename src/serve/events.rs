//! The event streams of `aimsdoc serve` (`/__aimsdoc/events`, Server-Sent Events).
//!
//! Each open stream has a bounded queue, written to its socket by the stream's own connection
//! thread. [`Hub::broadcast`] only puts the event on every queue: it never touches a socket,
//! so one client that stops reading cannot hold up the others. A client whose queue is full
//! has fallen behind: it is closed (its browser reconnects and first receives the current
//! state). A stream whose client has gone away is noticed within a second and closed; at most
//! [`crate::serve::wire::Limits::max_streams`] are open, the oldest closing to make room.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Events queued for one client before it counts as fallen behind.
pub const QUEUE: usize = 16;
/// How often a stream's thread checks that its client is still there.
const TICK: Duration = Duration::from_secs(1);
/// How often an idle stream sends a comment (keeps proxies and idle connections open).
const PING: Duration = Duration::from_secs(15);

const HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
Connection: close\r\nX-Accel-Buffering: no\r\n\r\n: aimsdoc\n\n";

type Frame = Arc<[u8]>;

struct Client {
    id: u64,
    queue: SyncSender<Frame>,
    socket: TcpStream,
}

#[derive(Default)]
struct Inner {
    clients: Vec<Client>,
    /// The frame of the last event, sent first to every new client (so the error overlay
    /// shows on pages opened while the AIMS has errors).
    last: Option<Frame>,
    next_id: u64,
}

/// The open event streams.
pub struct Hub {
    inner: Mutex<Inner>,
    max_streams: usize,
}

impl Hub {
    /// A hub keeping at most `max_streams` streams open.
    pub fn new(max_streams: usize) -> Hub {
        Hub {
            inner: Mutex::new(Inner::default()),
            max_streams: max_streams.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues one event (a JSON object) for every open stream; closes the streams whose
    /// queue is full. Never blocks on a socket.
    pub fn broadcast(&self, json: &str) {
        let frame: Frame = format!("data: {json}\n\n").into_bytes().into();
        let mut inner = self.lock();
        inner.last = Some(Arc::clone(&frame));
        inner
            .clients
            .retain(|c| match c.queue.try_send(Arc::clone(&frame)) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => {
                    // Fallen behind: unblock its writer, which then ends.
                    let _ = c.socket.shutdown(Shutdown::Both);
                    false
                }
                Err(TrySendError::Disconnected(_)) => false,
            });
    }

    /// Number of open streams.
    pub fn len(&self) -> usize {
        self.lock().clients.len()
    }

    /// Whether no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Serves one event stream on `socket` until the client goes away or falls behind.
    /// Runs on the connection's own thread.
    pub fn serve(&self, mut socket: TcpStream) {
        let Ok(handle) = socket.try_clone() else {
            return;
        };
        let (tx, rx) = mpsc::sync_channel::<Frame>(QUEUE);
        let id = {
            let mut inner = self.lock();
            // Under the lock, so no event slips in between the current state and the next.
            if let Some(last) = &inner.last {
                let _ = tx.try_send(Arc::clone(last));
            }
            while inner.clients.len() >= self.max_streams {
                let oldest = inner.clients.remove(0);
                let _ = oldest.socket.shutdown(Shutdown::Both);
            }
            inner.next_id += 1;
            let id = inner.next_id;
            inner.clients.push(Client {
                id,
                queue: tx,
                socket: handle,
            });
            id
        };
        let _ = write_frames(&mut socket, &rx);
        let _ = socket.shutdown(Shutdown::Both);
        self.lock().clients.retain(|c| c.id != id);
    }
}

/// Writes the stream head, then every queued frame, a ping when idle, until an error, the
/// client closing, or the queue's sender being dropped.
fn write_frames(socket: &mut TcpStream, rx: &Receiver<Frame>) -> io::Result<()> {
    socket.write_all(HEAD)?;
    let mut last_write = Instant::now();
    loop {
        match rx.recv_timeout(TICK) {
            Ok(frame) => {
                socket.write_all(&frame)?;
                last_write = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => {
                if client_gone(socket) {
                    return Ok(());
                }
                if last_write.elapsed() >= PING {
                    socket.write_all(b": ping\n\n")?;
                    last_write = Instant::now();
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// Whether the client closed its side (or the socket failed). Anything it sent is read and
/// ignored.
fn client_gone(socket: &mut TcpStream) -> bool {
    if socket.set_nonblocking(true).is_err() {
        return true;
    }
    let mut scratch = [0u8; 1024];
    let gone = match socket.read(&mut scratch) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != io::ErrorKind::WouldBlock,
    };
    socket.set_nonblocking(false).is_err() || gone
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A connected pair of sockets on 127.0.0.1: (server side, client side).
    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (server, _) = l.accept().unwrap();
        server
            .set_write_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        (server, client)
    }

    fn read_all(mut s: TcpStream) -> Vec<u8> {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        out
    }

    #[test]
    fn a_client_that_falls_behind_is_closed_and_the_others_get_everything() {
        let hub = Arc::new(Hub::new(8));
        let (s1, mut stalled) = pair();
        let (s2, live) = pair();
        let threads: Vec<_> = [s1, s2]
            .into_iter()
            .map(|s| {
                let hub = Arc::clone(&hub);
                std::thread::spawn(move || hub.serve(s))
            })
            .collect();
        // The live client reads as it goes and counts the events it has begun to receive.
        let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&seen);
        let reader = std::thread::spawn(move || {
            let mut live = live;
            live.set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            let mut out = Vec::new();
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = live.read(&mut buf) {
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
                // Each event holds exactly one `{`, and the stream head none.
                let opened = buf[..n].iter().filter(|b| **b == b'{').count();
                counter.fetch_add(opened, std::sync::atomic::Ordering::SeqCst);
            }
            out
        });
        while hub.len() < 2 {
            std::thread::sleep(Duration::from_millis(5));
        }
        // Far more than the stalled client's socket and queue hold; never blocks. Each event
        // is sent once the live client has begun to read the one before, so only the stalled
        // client can fall behind, however busy the machine is.
        let big = "x".repeat(1 << 20);
        for i in 0..(QUEUE + 24) {
            hub.broadcast(&format!("{{\"n\":{i},\"pad\":\"{big}\"}}"));
            let waited = std::time::Instant::now();
            while seen.load(std::sync::atomic::Ordering::SeqCst) < i + 1
                && waited.elapsed() < Duration::from_secs(30)
            {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        assert_eq!(hub.len(), 1, "the stalled client was dropped");
        // What the stalled client reads ends: it was closed.
        stalled
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut got = Vec::new();
        let _ = stalled.read_to_end(&mut got);
        assert!(got.starts_with(HEAD));
        // The live one got every event once the hub let it go.
        hub.lock().clients.clear();
        let live = reader.join().unwrap();
        let text = String::from_utf8_lossy(&live);
        assert_eq!(text.matches("data: ").count(), QUEUE + 24);
        for t in threads {
            t.join().unwrap();
        }
    }

    #[test]
    fn new_clients_get_the_last_event_first_and_the_oldest_makes_room() {
        let hub = Arc::new(Hub::new(1));
        hub.broadcast("{\"build\":7}");
        let (s1, c1) = pair();
        let h = Arc::clone(&hub);
        let t1 = std::thread::spawn(move || h.serve(s1));
        while hub.is_empty() {
            std::thread::sleep(Duration::from_millis(5));
        }
        let (s2, c2) = pair();
        let h = Arc::clone(&hub);
        let t2 = std::thread::spawn(move || h.serve(s2));
        // The second stream closes the first.
        let first = read_all(c1);
        assert!(String::from_utf8_lossy(&first).contains("data: {\"build\":7}\n\n"));
        t1.join().unwrap();
        drop(c2);
        t2.join().unwrap();
        assert!(hub.is_empty(), "a closed client is noticed");
    }
}
