package crew.routing.windows.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;

import crew.routing.windows.iphlp.IpHelperStructures.MIB_IPINTERFACE_ROW;

/**
 * The iphlpapi.dll functions CREW calls (jna-platform's IPHlpAPI lacks them), literal as in netioapi.h. Rows go in
 * and out as raw memory of {@code ROW2_SIZE} bytes, read and written by ForwardRowCodec. Windows only: loaded on
 * first use.
 */
interface IpHelper extends StdCallLibrary {

    static IpHelper load() {
        return Native.load("iphlpapi", IpHelper.class);
    }

    int GetIpForwardTable2(short family, PointerByReference table);

    void FreeMibTable(Pointer memory);

    void InitializeIpForwardEntry(Pointer row);

    int CreateIpForwardEntry2(Pointer row);

    int SetIpForwardEntry2(Pointer row);

    int DeleteIpForwardEntry2(Pointer row);

    int GetIpInterfaceEntry(MIB_IPINTERFACE_ROW row);

    int ConvertInterfaceLuidToAlias(LongByReference luid, char[] alias, long length);

    int ConvertInterfaceIndexToLuid(int index, LongByReference luid);

    int ConvertInterfaceAliasToLuid(com.sun.jna.WString alias, LongByReference luid);

    /** cb(PVOID CallerContext, PMIB_IPFORWARD_ROW2 Row, MIB_NOTIFICATION_TYPE NotificationType). */
    interface RouteChangeCallback extends StdCallCallback {
        void callback(Pointer context, Pointer row, int notificationType);
    }

    /** InitialNotification is a BOOLEAN: one byte. */
    int NotifyRouteChange2(short family, RouteChangeCallback callback, Pointer context, byte initialNotification, PointerByReference handle);

    int CancelMibChangeNotify2(Pointer handle);
}
