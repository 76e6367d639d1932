package io.chatvault.jobs;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.chatvault.cli.DoctorCheck;

/**
 * Doctor check of the job repository: executions marked running whose run lock no process
 * holds have crashed; the next start of their job instance recovers and resumes them.
 */
@Component
@Order(11)
class CrashedExecutionsCheck implements DoctorCheck {

	private final ObjectProvider<CrashedExecutions> executions;

	CrashedExecutionsCheck(ObjectProvider<CrashedExecutions> executions) {
		this.executions = executions;
	}

	@Override
	public String name() {
		return "job executions";
	}

	@Override
	public Finding check() {
		CrashedExecutions.Split split;
		try {
			split = this.executions.getObject().split();
		}
		catch (RuntimeException ex) {
			return Finding.problem("cannot read the job repository: " + DatabaseCheck.rootMessage(ex),
					"fix the database first (see the database check)");
		}
		List<String> crashed = split.crashed().stream().map(CrashedExecutions.Split::describe).toList();
		int running = split.running().size();
		if (!crashed.isEmpty()) {
			return Finding.problem(
					"marked " + "running but no process runs them (crashed): " + String.join(", ", crashed),
					"the next run of each job resumes it by itself; or now: chatvault restart <execution> "
							+ "(see ops/RECOVERY.md)");
		}
		return Finding.ok(running + " running, none crashed");
	}

}
