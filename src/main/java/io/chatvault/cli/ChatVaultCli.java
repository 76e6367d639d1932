package io.chatvault.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code chatvault} process: starts a lazy Spring context, hands the arguments to the
 * {@link CommandDispatcher}, and maps whatever goes wrong (startup included) to one line
 * on stderr and an {@link ExitCode}.
 * <p>
 * The context is lazy so that only what the chosen command uses is created: {@code
 * inspect} and {@code --help} never start PostgreSQL. On SIGTERM (Kubernetes, systemd)
 * the process closes the context itself, which stops a running job after its current
 * chunk, waits for it to end STOPPED, and then exits with the command's exit code.
 */
public final class ChatVaultCli {

	private static final Log logger = LogFactory.getLog(ChatVaultCli.class);

	private final Class<?> application;

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, Object> properties;

	/**
	 * A CLI that prints to the given streams.
	 * @param application the Spring Boot application class
	 * @param out where command output goes
	 * @param err where errors go
	 * @param properties extra Spring properties (lowest precedence), for tests
	 */
	public ChatVaultCli(Class<?> application, PrintStream out, PrintStream err, Map<String, Object> properties) {
		this.application = application;
		this.out = out;
		this.err = err;
		this.properties = Map.copyOf(properties);
	}

	/**
	 * The process entry point: runs the command and returns the exit code for
	 * {@code System.exit}.
	 * @param application the Spring Boot application class
	 * @param args the command line
	 * @return the exit code
	 */
	public static int main(Class<?> application, String[] args) {
		PrintStream stdout = System.out;
		// Logs go to stderr, so that stdout carries only the command's output (JSON for
		// scripts). Logback's console appender writes to whatever System.out is now.
		System.setOut(System.err);
		ChatVaultCli cli = new ChatVaultCli(application, stdout, System.err, Map.of());
		GracefulShutdown shutdown = new GracefulShutdown();
		Runtime.getRuntime().addShutdownHook(new Thread(shutdown::onSignal, "chatvault-shutdown"));
		int code = cli.execute(args, shutdown);
		shutdown.finished(code);
		stdout.flush();
		return code;
	}

	/**
	 * Runs one command line in a fresh context.
	 * @param args the command line
	 * @return the exit code
	 */
	public int execute(String[] args) {
		return execute(args, null);
	}

	private int execute(String[] args, GracefulShutdown shutdown) {
		List<String> arguments = Arrays.asList(args);
		Optional<Integer> help = HelpWithoutContext.print(arguments, this.properties, this.out, this.err);
		if (help.isPresent()) {
			return help.get();
		}
		ConfigurableApplicationContext context = null;
		try {
			context = start(serves(arguments));
			if (shutdown != null && !shutdown.started(context)) {
				this.err.println("chatvault: stopped before the command began");
				return ExitCode.JOB_STOPPED.code();
			}
			return context.getBean(CommandDispatcher.class).dispatch(arguments, this.out, this.err).code();
		}
		catch (RuntimeException ex) {
			Failure failure = Failure.of(ex);
			logger.debug("chatvault " + arguments + " failed to start: " + failure.message(), ex);
			this.err.println("chatvault: " + failure.message());
			return failure.exitCode().code();
		}
		finally {
			if (context != null) {
				context.close();
			}
		}
	}

	/**
	 * Whether the command is {@code serve}, the one long-running process: it starts with
	 * an embedded web server and the {@code serve} profile
	 * ({@code application-serve.properties}: ports, actuator endpoints); every other
	 * command runs without one.
	 */
	private static boolean serves(List<String> arguments) {
		return !arguments.isEmpty() && "serve".equals(arguments.get(0)) && !arguments.contains("--help")
				&& !arguments.contains("-h");
	}

	private ConfigurableApplicationContext start(boolean serve) {
		SpringApplication app = new SpringApplication(this.application);
		app.setWebApplicationType(serve ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		if (serve) {
			app.setAdditionalProfiles("serve");
		}
		app.setLazyInitialization(true);
		// The shutdown hook below closes the context in order; Spring's own would close
		// it
		// in parallel with a running job.
		app.setRegisterShutdownHook(false);
		app.setLogStartupInfo(false);
		Map<String, Object> defaults = new LinkedHashMap<>();
		// Startup failures are reported as one line by this class, not as a logged trace.
		defaults.put("logging.level.org.springframework.boot.SpringApplication", "OFF");
		defaults.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "OFF");
		defaults.put("logging.level.org.springframework.context", "ERROR");
		defaults.put("logging.register-shutdown-hook", "false");
		defaults.putAll(this.properties);
		app.setDefaultProperties(defaults);
		app.addInitializers((context) -> ((DefaultListableBeanFactory) context.getBeanFactory())
			.setAutowireCandidateResolver(new LazyCommandDependencies()));
		// Logging is configured by now: failures are this class's to report, once.
		app.addListeners((ApplicationListener<ApplicationPreparedEvent>) (event) -> LibraryFailureLogs.install());
		return app.run();
	}

	/**
	 * On SIGTERM: closes the context (the job runner stops the running job and waits for
	 * it to end), waits for the command to return its exit code, and halts with it, since
	 * a JVM ending on a signal would otherwise exit with 143.
	 */
	static final class GracefulShutdown {

		private final AtomicReference<ConfigurableApplicationContext> context = new AtomicReference<>();

		private final CountDownLatch done = new CountDownLatch(1);

		private final AtomicInteger exitCode = new AtomicInteger(ExitCode.JOB_STOPPED.code());

		private volatile boolean signalled;

		boolean started(ConfigurableApplicationContext started) {
			this.context.set(started);
			return !this.signalled;
		}

		void finished(int code) {
			this.exitCode.set(code);
			this.done.countDown();
		}

		void onSignal() {
			if (this.done.getCount() == 0) {
				return; // a normal exit: nothing runs any more
			}
			this.signalled = true;
			logger.info("Shutdown requested: stopping after the current chunk");
			ConfigurableApplicationContext started = this.context.get();
			if (started != null) {
				started.close();
			}
			try {
				if (this.done.await(10, TimeUnit.MINUTES)) {
					System.err.flush();
					Runtime.getRuntime().halt(this.exitCode.get());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
