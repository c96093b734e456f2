import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A syslog collector for the plugin check: receives UDP datagrams on 127.0.0.1:PORT for SECONDS and appends each
 * as one line to FILE. A single-file Java program: java SyslogCollector.java PORT FILE SECONDS
 */
public class SyslogCollector {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        long until = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        Files.writeString(file, "");
        try (DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            byte[] buffer = new byte[8192];
            while (System.currentTimeMillis() < until) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).replace('\n', ' ');
                Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
            }
        }
    }
}
