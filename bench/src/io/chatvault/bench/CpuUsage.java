package io.chatvault.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CPU seconds spent by this JVM and by the PostgreSQL backends of one database between
 * {@link #start} and {@link #stop}: on a machine shared with other builds, CPU per
 * message is the figure that wall-clock rates cannot give. The JVM's share comes from
 * {@code OperatingSystemMXBean.getProcessCpuTime}; PostgreSQL's from
 * {@code /proc/<pid>/stat} (user and system time) of every backend that
 * {@code pg_stat_activity} shows connected to the database, sampled at both ends (the
 * server must run on this machine; background workers such as the checkpointer and
 * autovacuum are not counted). The JVM's share is also split by thread from
 * {@code /proc/self/task}: the JIT compilers and the garbage collector apart from the
 * rest, since on a run of a few hundred thousand messages compiling the code can cost as
 * much as running it.
 */
public final class CpuUsage {

	private static final double TICKS_PER_SECOND = 100;

	private final JdbcTemplate jdbc;

	private final long jvmStart;

	private final Map<Integer, Long> backendsAtStart;

	private final Map<String, Long> threadsAtStart;

	private final Map<String, Long> threadTicks = new HashMap<>();

	private long jvmNanos = -1;

	private long backendTicks = -1;

	private CpuUsage(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
		this.backendsAtStart = backendTicks();
		this.threadsAtStart = threadTicks();
		this.jvmStart = jvmCpuNanos();
	}

	/**
	 * Starts measuring.
	 * @param dataSource a data source on the database whose backends to count
	 * @return the running measurement
	 */
	public static CpuUsage start(DataSource dataSource) {
		return new CpuUsage(new JdbcTemplate(dataSource));
	}

	/**
	 * Stops measuring (before the connections' pool is closed).
	 * @return this
	 */
	public CpuUsage stop() {
		this.jvmNanos = jvmCpuNanos() - this.jvmStart;
		Map<String, Long> threads = threadTicks();
		for (Map.Entry<String, Long> thread : threads.entrySet()) {
			long ticks = thread.getValue() - this.threadsAtStart.getOrDefault(thread.getKey(), 0L);
			this.threadTicks.merge(group(thread.getKey()), ticks, Long::sum);
		}
		long ticks = 0;
		for (Map.Entry<Integer, Long> backend : backendTicks().entrySet()) {
			ticks += backend.getValue() - this.backendsAtStart.getOrDefault(backend.getKey(), 0L);
		}
		this.backendTicks = ticks;
		return this;
	}

	public double jvmSeconds() {
		return this.jvmNanos / 1e9;
	}

	/** CPU seconds of the JVM's JIT compiler threads (the live ones at the end). */
	public double jitSeconds() {
		return this.threadTicks.getOrDefault("jit", 0L) / TICKS_PER_SECOND;
	}

	/** CPU seconds of the JVM's garbage collector threads. */
	public double gcSeconds() {
		return this.threadTicks.getOrDefault("gc", 0L) / TICKS_PER_SECOND;
	}

	/** CPU seconds of the database's backends, or -1 where /proc is not readable. */
	public double postgresSeconds() {
		return (this.backendTicks < 0) ? -1 : this.backendTicks / TICKS_PER_SECOND;
	}

	/**
	 * The measurement per item, for a report.
	 * @param items how many items the measured work handled
	 * @return e.g. {@code JVM 41.2 s CPU (412 µs per message), PostgreSQL backends ...}
	 */
	public String perItem(long items) {
		double rest = jvmSeconds() - jitSeconds() - gcSeconds();
		return String.format(java.util.Locale.ROOT,
				"JVM CPU %.1f s (%.0f µs per message; JIT compilers %.1f s, GC %.1f s, the rest %.1f s: %.0f µs per "
						+ "message), PostgreSQL backends CPU %.1f s (%.0f µs per message)",
				jvmSeconds(), jvmSeconds() * 1e6 / items, jitSeconds(), gcSeconds(), rest, rest * 1e6 / items,
				postgresSeconds(), postgresSeconds() * 1e6 / items);
	}

	/** The first figure of /proc/loadavg. */
	public static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static long jvmCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String group(String thread) {
		String name = thread.substring(thread.indexOf(' ') + 1);
		if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
			return "jit";
		}
		if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
			return "gc";
		}
		return "other";
	}

	/** user + system ticks of each live thread of this JVM, keyed by "tid name". */
	private static Map<String, Long> threadTicks() {
		Map<String, Long> ticks = new HashMap<>();
		try (var tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					ticks.put(task.getFileName() + " " + name, utimePlusStime(stat));
				}
				catch (IOException | RuntimeException ex) {
					// a thread that ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			// no /proc: no split
		}
		return ticks;
	}

	/** Fields after the command name (which may hold spaces): utime is 14, stime 15. */
	private static long utimePlusStime(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private Map<Integer, Long> backendTicks() {
		List<Integer> pids = this.jdbc.queryForList(
				"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
				Integer.class);
		Map<Integer, Long> ticks = new HashMap<>();
		for (int pid : pids) {
			try {
				ticks.put(pid, utimePlusStime(Files.readString(Path.of("/proc/" + pid + "/stat"))));
			}
			catch (IOException | RuntimeException ex) {
				// a backend that ended between the query and the read, or no /proc
			}
		}
		return ticks;
	}

}
