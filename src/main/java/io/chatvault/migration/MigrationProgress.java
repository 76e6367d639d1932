package io.chatvault.migration;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live progress line of a migration in an interactive terminal: messages, messages
 * per second, percent of the input's bytes read and an estimate of the time left. The
 * bytes read are taken from the kernel's file positions of the open exports
 * ({@code /proc/self/fdinfo}), so the source readers need no hook; where that is not
 * available the line shows messages and rate only. Nothing is printed when the output is
 * not a terminal.
 */
class MigrationProgress {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private final PrintWriter terminal;

	private final LongAdder records = new LongAdder();

	private final AtomicLong finishedBytes = new AtomicLong();

	private final Map<Path, Long> openExports = new ConcurrentHashMap<>();

	private volatile long totalBytes;

	private volatile int totalExports;

	private final AtomicLong finishedExports = new AtomicLong();

	private volatile long startNanos;

	private volatile Thread printer;

	/**
	 * Creates the progress line.
	 * @param terminal where to print, or {@code null} when not interactive (nothing is
	 * printed)
	 */
	MigrationProgress(PrintWriter terminal) {
		this.terminal = terminal;
	}

	/** Progress of an interactive terminal, or silent progress when there is none. */
	static MigrationProgress forConsole(boolean enabled) {
		return new MigrationProgress((enabled && System.console() != null) ? System.console().writer() : null);
	}

	synchronized void start(int exports, long bytes, int exportsDone, long bytesDone) {
		this.records.reset();
		this.openExports.clear();
		this.totalExports = exports;
		this.totalBytes = bytes;
		this.finishedExports.set(exportsDone);
		this.finishedBytes.set(bytesDone);
		this.startNanos = System.nanoTime();
		if (this.terminal != null && this.printer == null) {
			Thread thread = new Thread(this::printLoop, "migration-progress");
			thread.setDaemon(true);
			this.printer = thread;
			thread.start();
		}
	}

	void exportOpened(Path export) {
		this.openExports.put(export, 0L);
	}

	void exportFinished(Path export, long size) {
		if (this.openExports.remove(export) != null) {
			this.finishedBytes.addAndGet(size);
			this.finishedExports.incrementAndGet();
		}
	}

	void recordsWritten(int count) {
		this.records.add(count);
	}

	synchronized void stop() {
		Thread thread = this.printer;
		this.printer = null;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.terminal.print("\r\033[K");
			this.terminal.flush();
		}
	}

	private void printLoop() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				Thread.sleep(INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			this.terminal.print("\r\033[K" + line());
			this.terminal.flush();
		}
	}

	/** The progress line as it is printed. */
	String line() {
		long count = this.records.sum();
		double seconds = Math.max(1e-3, (System.nanoTime() - this.startNanos) / 1e9);
		long rate = Math.round(count / seconds);
		StringBuilder line = new StringBuilder(String.format("migrating: %,d records, %,d/s", count, rate));
		long bytes = this.finishedBytes.get() + openBytes();
		if (this.totalBytes > 0 && bytes > 0) {
			double fraction = Math.min(1.0, (double) bytes / this.totalBytes);
			line.append(String.format(", %.0f%%", fraction * 100));
			if (fraction > 0.01 && fraction < 1.0) {
				long left = Math.round(seconds * (1 - fraction) / fraction);
				line.append(String.format(", ETA %d:%02d", left / 60, left % 60));
			}
		}
		line.append(String.format(", exports %d/%d", this.finishedExports.get(), this.totalExports));
		return line.toString();
	}

	/** Bytes read so far of the exports being read, from the kernel's file positions. */
	private long openBytes() {
		if (this.openExports.isEmpty()) {
			return 0;
		}
		long sum = 0;
		Path fds = Path.of("/proc/self/fd");
		if (!Files.isDirectory(fds)) {
			return 0;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
			for (Path fd : entries) {
				try {
					Path target = Files.readSymbolicLink(fd);
					if (this.openExports.containsKey(target)) {
						sum += position(fd.getFileName().toString());
					}
				}
				catch (IOException | UnsupportedOperationException ex) {
					// The descriptor closed in between, or is not a link: nothing to
					// count.
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return sum;
	}

	private static long position(String fd) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd))) {
			if (line.startsWith("pos:")) {
				return Long.parseLong(line.substring(4).trim());
			}
		}
		return 0;
	}

}
