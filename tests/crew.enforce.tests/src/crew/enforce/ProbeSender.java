package crew.enforce;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** A paced UDP sender with sequence numbers: the probe stream of the leak benchmark (run inside the device namespace). */
public final class ProbeSender {

    private ProbeSender() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress destination = InetAddress.getByName(args[0]);
        int pps = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        long interval = 1_000_000_000L / pps;
        long total = (long) (pps * seconds);
        byte[] payload = new byte[32];
        try (DatagramSocket socket = new DatagramSocket()) {
            long start = System.nanoTime();
            for (long seq = 0; seq < total; seq++) {
                long due = start + seq * interval;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                ByteBuffer.wrap(payload).putLong(seq).putLong(System.nanoTime());
                try {
                    socket.send(new DatagramPacket(payload, payload.length, destination, 9));
                } catch (java.io.IOException e) {
                    // no route / unreachable for a moment: the packet is lost, which is what is being counted
                }
            }
        }
        System.out.println("sent " + total);
    }
}
