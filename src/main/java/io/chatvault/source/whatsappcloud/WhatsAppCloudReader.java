package io.chatvault.source.whatsappcloud;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.DateOrder;
import io.chatvault.source.JsonFilesReader;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.MappedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.UnreadMessageArrays;

/**
 * Reads captured webhook bodies one at a time: a file holding one body, a JSON array of
 * bodies, JSON lines, or an object mapping test-case names to bodies (the pywa fixture
 * style, each case named as the entry of its records).
 */
final class WhatsAppCloudReader extends JsonFilesReader {

	private final WebhookMapper mapper = new WebhookMapper(json());

	WhatsAppCloudReader(Path root, List<Path> files, List<String> notes) {
		super(root, files, new SourceDescription(SourceFormat.WHATSAPP_CLOUD, DateOrder.AUTO, notes));
	}

	@Override
	protected void handle(JsonRecordSplitter.Record record, JsonNode node) {
		if (isCaseMap(node)) {
			List<long[]> spans = json().fieldValueSpans(record.raw());
			int i = 0;
			for (Map.Entry<String, JsonNode> testCase : node.properties()) {
				long[] span = (spans.size() == node.size()) ? spans.get(i) : null;
				if (span != null) {
					body(testCase.getValue(), testCase.getKey(),
							Arrays.copyOfRange(record.raw(), (int) span[0], (int) (span[0] + span[1])),
							record.offset() + span[0]);
				}
				else {
					body(testCase.getValue(), testCase.getKey(), json().toJsonBytes(testCase.getValue()), -1);
				}
				i++;
			}
			return;
		}
		body(node, "", record.raw(), record.offset());
	}

	/** A fixture file: named cases, each a webhook body. */
	private static boolean isCaseMap(JsonNode node) {
		if (!node.isObject() || node.has("entry") || node.has("object") || node.isEmpty()) {
			return false;
		}
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (!field.getValue().isObject() || !field.getValue().has("entry")) {
				return false;
			}
		}
		return true;
	}

	private void body(JsonNode body, String caseName, byte[] raw, long offset) {
		SourceLocation origin = nextLocation(caseName, offset, (offset >= 0) ? raw.length : -1);
		List<MappedRecord> results;
		try {
			results = this.mapper.map(body, origin, Sha256.hex(raw));
		}
		catch (RuntimeException ex) {
			results = List.of(MappedRecord.problem("cannot map the webhook body: " + ex));
		}
		for (MappedRecord result : results) {
			emit(result.ok() ? result.record() : new QuarantinedRecord(origin, result.problem(), raw));
		}
		for (UnreadMessageArrays.Found found : UnreadMessageArrays.find(body, WebhookMapper::messageShaped,
				WebhookMapper.NESTED_READ)) {
			for (int i = 0; i < found.messages().size(); i++) {
				emit(new QuarantinedRecord(origin, found.reason(i, "the webhook body", "whatsapp-cloud"),
						json().toJsonBytes(found.messages().get(i))));
			}
		}
	}

}
