package io.chatvault.jobs;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code chatvault jobs}.
 *
 * @param id the execution id
 * @param job the job name
 * @param parameters identifying parameters
 * @param status the batch status
 * @param exitCode the exit code Batch recorded
 * @param exitDescription the first line of the exit description, or empty
 * @param start when it started, or null
 * @param end when it ended, or null
 * @param read items read
 * @param written items written
 * @param skipped items skipped
 */
record ExecutionSummary(long id, String job, Map<String, String> parameters, String status, String exitCode,
		String exitDescription, LocalDateTime start, LocalDateTime end, long read, long written, long skipped) {

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", this.id);
		json.put("job", this.job);
		json.put("parameters", this.parameters);
		json.put("status", this.status);
		json.put("exitCode", this.exitCode);
		json.put("exitDescription", this.exitDescription);
		json.put("start", timestamp(this.start));
		json.put("end", timestamp(this.end));
		json.put("read", this.read);
		json.put("written", this.written);
		json.put("skipped", this.skipped);
		return json;
	}

	/** Batch stores local times of the JVM's zone; shown with their offset. */
	static String timestamp(LocalDateTime time) {
		return (time != null)
				? time.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault()).toOffsetDateTime().toString()
				: null;
	}

}
