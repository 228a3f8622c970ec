package dev.flywheel.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark ran on: the figures mean little without it. */
final class Machine {

    private Machine() {
    }

    /** Processors, memory, OS, architecture and JVM of this process. */
    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        m.put("processors", rt.availableProcessors());
        m.put("max_heap_mb", rt.maxMemory() / (1024 * 1024));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_mb", os.getTotalMemorySize() / (1024 * 1024));
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("torch_threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        return m;
    }
}
