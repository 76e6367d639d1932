package io.chatvault.jobs;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.chatvault.testsupport.TestDatabase;

/** The tables of the {@code test-items} job, read and written by the tests. */
final class TestItems {

	private final JdbcTemplate jdbc;

	private TestItems(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
		for (String statement : TestItemsJobConfiguration.SCHEMA.split(";")) {
			this.jdbc.execute(statement);
		}
	}

	static TestItems in(TestDatabase.Coordinates database) {
		return new TestItems(new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()));
	}

	void armFault(String run, int item) {
		this.jdbc.update("insert into test_fault (run, item) values (?, ?)", run, item);
	}

	void fixFault(String run) {
		this.jdbc.update("delete from test_fault where run = ?", run);
	}

	int written(String run) {
		return this.jdbc.queryForObject("select count(*) from test_item where run = ?", Integer.class, run);
	}

	/** The audit entries of an action on a target, as "actor outcome". */
	List<String> audited(String action, String target) {
		return this.jdbc.queryForList(
				"select actor || ' ' || outcome from audit_entry where action = ? and target = ? order by sequence",
				String.class, action, target);
	}

	/** The items written for a run, in order, with duplicates. */
	List<Integer> items(String run) {
		return this.jdbc.queryForList("select item from test_item where run = ? order by item", Integer.class, run);
	}

	/** The executions of a run of the test job, oldest first, as (id, status). */
	List<String> executions(String run) {
		return this.jdbc.queryForList("""
				select e.job_execution_id || ' ' || e.status
				from batch_job_execution e
				join batch_job_execution_params p on p.job_execution_id = e.job_execution_id
				where p.parameter_name = 'run' and p.parameter_value = ?
				order by e.job_execution_id
				""", String.class, run);
	}

	long lastExecutionId(String run) {
		List<String> executions = executions(run);
		return Long.parseLong(executions.get(executions.size() - 1).split(" ")[0]);
	}

	static List<Integer> oneToN(int n) {
		return java.util.stream.IntStream.rangeClosed(1, n).boxed().toList();
	}

}
