package dev.flywheel.core.device;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevicesTest {

    @Test
    void cpuSelectsTheCpu() {
        assertThat(Devices.select("cpu")).isEqualTo(Device.cpu());
        assertThat(Devices.select(" CPU ")).isEqualTo(Device.cpu());
    }

    @Test
    void gpuFailsClearlyWhenDjlSeesNoGpu() {
        // This machine has no usable CUDA GPU; the engine's own count decides.
        assertThatThrownBy(() -> Devices.select("gpu"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--device gpu: no CUDA GPU visible to DJL's PyTorch engine")
                .hasMessageContaining("use --device cpu");
    }

    @Test
    void gpuSelectsACudaDeviceWhenOneIsVisible() {
        assertThat(Devices.select("gpu", 1)).isEqualTo(Device.gpu(0));
        assertThat(Devices.select("gpu:1", 2)).isEqualTo(Device.gpu(1));
        assertThatThrownBy(() -> Devices.select("gpu:2", 2)).hasMessageContaining("sees only 2 GPU(s)");
    }

    @Test
    void rejectsUnknownDevices() {
        assertThatThrownBy(() -> Devices.select("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--device must be 'cpu' or 'gpu'");
    }

    @Test
    void torchThreadCountCanBeSetDeliberately() {
        int before = TorchThreads.current();
        try {
            TorchThreads.set(1);
            assertThat(TorchThreads.current()).isEqualTo(1);
        } finally {
            TorchThreads.set(before);
        }
    }
}
