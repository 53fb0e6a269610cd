// Drives Jikkou's API the way its CLI's `apply` and `diff` do, and prints how long the call took as JSON.
//   java -cp 'lib/*:classes' JikkouBench apply|create|diff CLIENT_PROPERTIES RESOURCES_YAML
// CLIENT_PROPERTIES holds the Kafka admin client's settings; RESOURCES_YAML Jikkou's resources.

import io.streamthoughts.jikkou.core.JikkouApi;
import io.streamthoughts.jikkou.core.ReconciliationContext;
import io.streamthoughts.jikkou.core.ReconciliationMode;
import io.streamthoughts.jikkou.core.config.Configuration;
import io.streamthoughts.jikkou.core.extension.ClassExtensionAliasesGenerator;
import io.streamthoughts.jikkou.core.extension.DefaultExtensionDescriptorFactory;
import io.streamthoughts.jikkou.core.extension.DefaultExtensionFactory;
import io.streamthoughts.jikkou.core.extension.DefaultExtensionRegistry;
import io.streamthoughts.jikkou.core.io.Jackson;
import io.streamthoughts.jikkou.core.io.ResourceLoader;
import io.streamthoughts.jikkou.core.io.reader.ResourceReaderFactory;
import io.streamthoughts.jikkou.core.models.HasItems;
import io.streamthoughts.jikkou.core.models.change.ResourceChange;
import io.streamthoughts.jikkou.core.reconciler.ChangeResult;
import io.streamthoughts.jikkou.core.resource.DefaultResourceRegistry;
import io.streamthoughts.jikkou.runtime.JikkouContext;
import java.io.FileInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public final class JikkouBench {
    public static void main(String[] args) throws Exception {
        Properties client = new Properties();
        try (FileInputStream in = new FileInputStream(args[1])) {
            client.load(in);
        }
        // Jikkou's Kafka provider reads the admin client's settings under kafka.client.
        Map<String, Object> settings = new HashMap<>();
        client.stringPropertyNames().forEach(key -> settings.put("kafka.client." + key, client.getProperty(key)));
        Configuration configuration = Configuration.from(settings);
        DefaultExtensionRegistry registry =
            new DefaultExtensionRegistry(new DefaultExtensionDescriptorFactory(), new ClassExtensionAliasesGenerator());
        JikkouContext context =
            new JikkouContext(
                configuration, new DefaultExtensionFactory(registry, configuration), new DefaultResourceRegistry());
        try (JikkouApi api = context.createApi()) {
            HasItems resources =
                new ResourceLoader(new ResourceReaderFactory(Jackson.YAML_OBJECT_MAPPER)).load(List.of(args[2]));
            long started = System.nanoTime();
            int changes = 0;
            int failed = 0;
            if (args[0].equals("diff")) {
                ReconciliationContext dryRun = ReconciliationContext.builder().dryRun(true).build();
                for (ResourceChange change : api.getDiff(resources, dryRun).getItems()) {
                    if (!change.getSpec().getOp().name().equals("NONE")) {
                        changes++;
                    }
                }
            } else {
                // "apply" is Jikkou's CLI `apply` (FULL); "create" its `create` (CREATE: only what is missing).
                ReconciliationMode mode = args[0].equals("create") ? ReconciliationMode.CREATE : ReconciliationMode.FULL;
                ReconciliationContext apply = ReconciliationContext.builder().dryRun(false).build();
                for (ChangeResult result : api.reconcile(resources, mode, apply).results()) {
                    if (result.isFailed()) {
                        failed++;
                        if (failed <= 3) {
                            System.err.println(result.errors());
                        }
                    } else if (!result.change().getSpec().getOp().name().equals("NONE")) {
                        changes++;
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("{\"seconds\": %.3f, \"changes\": %d, \"failed\": %d}%n", seconds, changes, failed);
        }
    }
}
