package io.chatvault.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import javax.crypto.Mac;

import io.chatvault.message.Sha256;

/**
 * A load generator for {@code serve}: threads posting signed WhatsApp Cloud API webhook
 * bodies of realistic size (one text message each, unique ids, ~860 bytes) to one
 * endpoint, each on its own HTTP/1.1 keep-alive connection and waiting for the answer
 * before the next (closed loop), recording which deliveries were acknowledged (2xx) and
 * their latency. Used by the crash test and the benchmark; it runs in their JVM, serve in
 * another.
 *
 * <p>
 * It shares two cores with the server it measures, so it is kept cheap: a plain blocking
 * socket per connection (no client framework), each request written in one call, one HMAC
 * per request (the signature), and the dedupe keys of the acknowledged deliveries
 * (SHA-256 of each body) computed only after the run.
 */
final class WebhookLoad {

	static final String PHONE_NUMBER_ID = "106540352242922";

	private static final HexFormat HEX = HexFormat.of();

	private final URI endpoint;

	private final byte[] secret;

	WebhookLoad(URI endpoint, String secret) {
		this.endpoint = endpoint;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Runs threads until the deadline or until {@code stop} says so (tested after each
	 * answer with the number of acknowledgements so far).
	 * @param threads concurrent senders (connections)
	 * @param duration how long at most
	 * @param stop stops early when it returns true for the acknowledgements so far
	 * @param prefix message id prefix: a run with the same prefix sends the same bodies
	 * (ids {@code <prefix>-0}, {@code <prefix>-1}, ...), so it redelivers
	 * @param limit how many bodies at most
	 * @return what was sent and answered
	 */
	Result run(int threads, Duration duration, LongPredicate stop, String prefix, long limit)
			throws InterruptedException {
		AtomicLong ids = new AtomicLong();
		long deadline = System.nanoTime() + duration.toNanos();
		AtomicLong acknowledgedCount = new AtomicLong();
		AtomicLong sent = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		List<long[]> latencies = new ArrayList<>();
		List<long[]> acknowledgedIds = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(threads);
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			Thread sender = new Thread(() -> {
				long[] mine = new long[1024];
				long[] acked = new long[1024];
				int count = 0;
				Mac mac = Signatures.hmac(this.secret);
				try (Connection connection = new Connection(this.endpoint)) {
					while (System.nanoTime() < deadline && !stop.test(acknowledgedCount.get())) {
						long sequence = ids.getAndIncrement();
						if (sequence >= limit) {
							break;
						}
						byte[] request = connection.request(body(prefix + "-" + sequence), mac);
						sent.incrementAndGet();
						long start = System.nanoTime();
						try {
							int status = connection.exchange(request);
							long latency = System.nanoTime() - start;
							if (status / 100 == 2) {
								if (count == mine.length) {
									mine = Arrays.copyOf(mine, count * 2);
									acked = Arrays.copyOf(acked, count * 2);
								}
								mine[count] = latency;
								acked[count++] = sequence;
								acknowledgedCount.incrementAndGet();
							}
							else {
								refused.incrementAndGet();
							}
						}
						catch (IOException ex) {
							connection.close();
							failed.incrementAndGet();
							Thread.sleep(50);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					synchronized (latencies) {
						latencies.add(Arrays.copyOf(mine, count));
						acknowledgedIds.add(Arrays.copyOf(acked, count));
					}
					done.countDown();
				}
			}, "webhook-load-" + t);
			sender.setDaemon(true);
			sender.start();
		}
		done.await();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		Set<String> acknowledged = new HashSet<>();
		acknowledgedIds.stream()
			.flatMapToLong(Arrays::stream)
			.forEach((sequence) -> acknowledged.add(dedupeKey(prefix + "-" + sequence)));
		return new Result(sent.get(), acknowledged, refused.get(), failed.get(), all, elapsed);
	}

	/** The inbox's dedupe key of the body of that message id. */
	static String dedupeKey(String id) {
		return "sha256:" + Sha256.hex(body(id));
	}

	/** A Cloud API webhook body of one incoming text message, as Meta posts it. */
	static byte[] body(String id) {
		// A fixed time: a redelivery is the same bytes.
		long now = 1764493200L;
		String from = "4477009" + String.valueOf(100000 + Math.abs(id.hashCode() % 100000)).substring(1);
		return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
				+ "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
				+ "\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},\"contacts\":[{\"profile\":{\"name\":\"Customer "
				+ from + "\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid.HBgL"
				+ id + "\",\"timestamp\":\"" + now + "\",\"text\":{\"body\":\"Hello, I would like to confirm the order "
				+ "we discussed on the phone this morning: 200 units at the price in your last offer, delivery to the "
				+ "usual address before the end of the month. Please send the confirmation and the invoice to "
				+ "accounts as before. Thanks, " + id + "\"},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * One HTTP/1.1 keep-alive connection to the endpoint: a request written in one call,
	 * the answer's status read and its body (Content-Length or chunked) skipped; opened
	 * again after the server closes it ({@code Connection: close}) or it breaks.
	 */
	static final class Connection implements Closeable {

		private final URI endpoint;

		private final byte[] head;

		private Socket socket;

		private InputStream in;

		private OutputStream out;

		Connection(URI endpoint) {
			this.endpoint = endpoint;
			this.head = ("POST " + endpoint.getRawPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":"
					+ endpoint.getPort() + "\r\nContent-Type: application/json\r\nX-Hub-Signature-256: sha256=")
				.getBytes(StandardCharsets.US_ASCII);
		}

		/** The bytes of a signed POST of a body. */
		byte[] request(byte[] body, Mac mac) {
			byte[] signature = HEX.formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
			byte[] length = ("\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
			byte[] request = Arrays.copyOf(this.head,
					this.head.length + signature.length + length.length + body.length);
			System.arraycopy(signature, 0, request, this.head.length, signature.length);
			System.arraycopy(length, 0, request, this.head.length + signature.length, length.length);
			System.arraycopy(body, 0, request, this.head.length + signature.length + length.length, body.length);
			return request;
		}

		/** Sends a request and reads the answer; its status. */
		int exchange(byte[] request) throws IOException {
			if (this.socket == null) {
				this.socket = new Socket();
				this.socket.setTcpNoDelay(true);
				this.socket.connect(new InetSocketAddress(this.endpoint.getHost(), this.endpoint.getPort()), 5_000);
				this.socket.setSoTimeout(30_000);
				this.in = new BufferedInputStream(this.socket.getInputStream(), 4096);
				this.out = this.socket.getOutputStream();
			}
			this.out.write(request);
			String status = line();
			if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
				throw new IOException("not an HTTP/1.1 answer: " + status);
			}
			long length = 0;
			boolean chunked = false;
			boolean close = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
				String value = header.substring(header.indexOf(':') + 1).trim();
				if (name.equalsIgnoreCase("Content-Length")) {
					length = Long.parseLong(value);
				}
				else if (name.equalsIgnoreCase("Transfer-Encoding")) {
					chunked = value.equalsIgnoreCase("chunked");
				}
				else if (name.equalsIgnoreCase("Connection")) {
					close = value.equalsIgnoreCase("close");
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long
					.parseLong(line().split(";")[0].trim(), 16)) {
					skip(size);
					line();
				}
				for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
					// trailers are ignored
				}
			}
			else {
				skip(length);
			}
			if (close) {
				close();
			}
			return Integer.parseInt(status.substring(9, 12));
		}

		private String line() throws IOException {
			StringBuilder line = new StringBuilder(64);
			for (int c = this.in.read(); c != '\n'; c = this.in.read()) {
				if (c < 0) {
					throw new EOFException("connection closed by the server");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

		private void skip(long bytes) throws IOException {
			for (long left = bytes; left > 0; left--) {
				if (this.in.read() < 0) {
					throw new EOFException("connection closed by the server");
				}
			}
		}

		@Override
		public void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
				this.socket = null;
			}
		}

	}

	/**
	 * What a run sent and what was answered.
	 *
	 * @param sent requests sent
	 * @param acknowledged dedupe keys of the deliveries answered 2xx
	 * @param refused answered with another status (503 included)
	 * @param failed no answer (connection refused or reset, timeout)
	 * @param latencies nanoseconds to the acknowledgement of each 2xx, sorted
	 * @param elapsed wall time of the run
	 */
	record Result(long sent, Set<String> acknowledged, long refused, long failed, long[] latencies, Duration elapsed) {

		double perSecond() {
			return this.acknowledged.size() / (this.elapsed.toNanos() / 1e9);
		}

		double percentileMillis(double percentile) {
			if (this.latencies.length == 0) {
				return Double.NaN;
			}
			int index = (int) Math.min(this.latencies.length - 1,
					Math.ceil(percentile / 100 * this.latencies.length) - 1);
			return this.latencies[Math.max(0, index)] / 1e6;
		}

	}

}
