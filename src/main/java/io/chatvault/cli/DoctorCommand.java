package io.chatvault.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code chatvault doctor}: runs every {@link DoctorCheck} and says in plain words what
 * is wrong and how to fix it. It does not need the database to start, since an
 * unreachable database is one of the things it reports.
 */
@Component
@Command(name = "doctor",
		description = { "Check the database, object stores, keystore and configuration.", "",
				"Checks everything ChatVault depends on (the database and job repository, the object",
				"stores, the keystore, the configuration) and says what is wrong and how to fix it." },
		footer = { "", "Exit codes: 0 when all is well, 6 when any check found a problem." })
class DoctorCommand implements CliCommand {

	private static final Log logger = LogFactory.getLog(DoctorCommand.class);

	private final ObjectProvider<DoctorCheck> checks;

	@Option(names = "--json", description = "One JSON object: ok, and each check with its detail and fix.")
	boolean json;

	DoctorCommand(ObjectProvider<DoctorCheck> checks) {
		this.checks = checks;
	}

	@Override
	public boolean needsDatabase() {
		return false;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		List<Map<String, Object>> results = this.checks.orderedStream().map(DoctorCommand::run).toList();
		boolean ok = results.stream().allMatch((result) -> Boolean.TRUE.equals(result.get("ok")));
		if (this.json) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("ok", ok);
			json.put("checks", results);
			JsonOutput.print(out, json);
		}
		else {
			for (Map<String, Object> result : results) {
				boolean passed = Boolean.TRUE.equals(result.get("ok"));
				out.printf("%-8s %s: %s%n", passed ? "ok" : "PROBLEM", result.get("name"), result.get("detail"));
				if (!passed) {
					out.printf("%-8s fix: %s%n", "", result.get("fix"));
				}
			}
			out.println(ok ? "All checks passed." : "Some checks found problems (see fix: lines above).");
		}
		return ok ? ExitCode.COMPLETED : ExitCode.INFRASTRUCTURE_UNAVAILABLE;
	}

	private static Map<String, Object> run(DoctorCheck check) {
		DoctorCheck.Finding finding;
		try {
			finding = check.check();
		}
		catch (RuntimeException ex) {
			logger.debug("Doctor check " + check.name() + " failed", ex);
			Failure failure = Failure.of(ex);
			finding = DoctorCheck.Finding.problem(failure.message(),
					"this check itself failed; run with LOGGING_LEVEL_IO_CHATVAULT=DEBUG for details");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("name", check.name());
		result.put("ok", finding.ok());
		result.put("detail", finding.detail());
		result.put("fix", finding.fix());
		return result;
	}

}
