package crew.routing.linux.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import crew.routing.api.RoutingException;

/** libnftables (Debian package libnftables1) through JNA: run nft commands in the calling thread's namespace. */
final class Nftables {
    private static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

    interface Lib extends Library {
        Pointer nft_ctx_new(int flags);

        void nft_ctx_free(Pointer ctx);

        int nft_ctx_buffer_output(Pointer ctx);

        int nft_ctx_buffer_error(Pointer ctx);

        String nft_ctx_get_output_buffer(Pointer ctx);

        String nft_ctx_get_error_buffer(Pointer ctx);

        int nft_run_cmd_from_buffer(Pointer ctx, String buffer);
    }

    private static volatile Lib lib;

    private Nftables() {
    }

    private static Lib lib() throws RoutingException {
        if (lib == null) {
            try {
                lib = Native.load("libnftables.so.1", Lib.class);
            } catch (UnsatisfiedLinkError e) {
                throw new RoutingException("load libnftables", 0, "libnftables.so.1 not found (install the libnftables1 package): " + e.getMessage());
            }
        }
        return lib;
    }

    /** Runs {@code commands} (nft syntax, several lines allowed) atomically; returns nft's output. */
    static String run(String commands) throws RoutingException {
        Lib l = lib();
        Pointer ctx = l.nft_ctx_new(0);
        try {
            l.nft_ctx_buffer_output(ctx);
            l.nft_ctx_buffer_error(ctx);
            int rc = l.nft_run_cmd_from_buffer(ctx, commands);
            if (rc != 0) {
                String error = l.nft_ctx_get_error_buffer(ctx);
                throw new RoutingException("nft: " + commands.strip().replace('\n', ';'), RoutingException.EINVAL, error == null ? "failed" : error.strip());
            }
            String out = l.nft_ctx_get_output_buffer(ctx);
            return out == null ? "" : out;
        } finally {
            l.nft_ctx_free(ctx);
        }
    }
}
