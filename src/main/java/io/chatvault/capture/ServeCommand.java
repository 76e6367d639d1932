package io.chatvault.capture;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import picocli.CommandLine.Command;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code chatvault serve}: the capture server, the one long-running process. It answers
 * the platforms' webhooks until SIGTERM, then finishes the deliveries in flight and exits
 * 0.
 */
@Component
@Command(name = "serve",
		description = { "Capture server: WhatsApp, Slack and Teams webhooks into the sealed inbox.", "",
				"Endpoints (server.port, default 8080): /webhooks/whatsapp/<app> (GET handshake, POST),",
				"/webhooks/slack/<app>, /webhooks/teams/<app>; apps from chatvault.capture.*. Health and",
				"Prometheus metrics on management.server.port (default 8081): /actuator/health,",
				"/actuator/prometheus. Runs until SIGTERM. See docs/capture.md." })
class ServeCommand implements CliCommand {

	private final Environment environment;

	private final ServeLifecycle lifecycle;

	ServeCommand(Environment environment, ServeLifecycle lifecycle) {
		this.environment = environment;
		this.lifecycle = lifecycle;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		String port = this.environment.getProperty("local.server.port");
		if (port == null) {
			throw new CommandException(ExitCode.USAGE, "serve: no web server started (run it as `chatvault serve`)");
		}
		out.println("chatvault serve: listening on port " + port + ", management port "
				+ this.environment.getProperty("local.management.port", port));
		out.flush();
		this.lifecycle.awaitClose();
		return ExitCode.COMPLETED;
	}

	/** Releases {@code serve} when the context closes (SIGTERM). */
	@Component
	static class ServeLifecycle implements ApplicationListener<ContextClosedEvent> {

		private final CountDownLatch closed = new CountDownLatch(1);

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			if (event.getApplicationContext().getParent() == null) {
				this.closed.countDown();
			}
		}

		void awaitClose() {
			try {
				this.closed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
