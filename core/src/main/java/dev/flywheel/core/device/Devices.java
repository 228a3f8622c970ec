package dev.flywheel.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** Turns the {@code --device cpu|gpu} option into a DJL {@link Device}, failing clearly when no GPU is usable. */
public final class Devices {

    private Devices() {
    }

    /** {@code "cpu"} → CPU; {@code "gpu"} (or {@code "gpu:N"}) → that CUDA device if DJL's PyTorch engine sees one. */
    public static Device select(String option) {
        return select(option, Engine.getEngine("PyTorch").getGpuCount());
    }

    /** As {@link #select(String)}, with the number of visible GPUs given (what the engine reports). */
    public static Device select(String option, int visibleGpus) {
        String o = option == null ? "" : option.trim().toLowerCase(Locale.ROOT);
        if (o.equals("cpu")) {
            return Device.cpu();
        }
        if (o.equals("gpu") || o.startsWith("gpu:")) {
            int index = o.equals("gpu") ? 0 : parseIndex(option, o.substring(4));
            if (visibleGpus <= 0) {
                throw new IllegalStateException("--device " + option + ": no CUDA GPU visible to DJL's PyTorch "
                        + "engine; use --device cpu, or install the CUDA build of libtorch (replace the "
                        + "pytorch-native-cpu jar by pytorch-native-cu1xx for your CUDA version, or set "
                        + "PYTORCH_LIBRARY_PATH to a CUDA libtorch) and check that nvidia-smi lists a GPU");
            }
            if (index >= visibleGpus) {
                throw new IllegalStateException("--device " + option + ": DJL sees only " + visibleGpus
                        + " GPU(s), numbered 0.." + (visibleGpus - 1));
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("--device must be 'cpu' or 'gpu' (or 'gpu:N'), got '" + option + "'");
    }

    private static int parseIndex(String option, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--device " + option + ": expected gpu:N with N a GPU number", e);
        }
    }
}
