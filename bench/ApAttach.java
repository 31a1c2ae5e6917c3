import com.sun.tools.attach.VirtualMachine;

/**
 * Sends one command to async-profiler inside a running JVM, as its own {@code asprof} launcher does:
 * the JDK's attach mechanism loads the agent (once) and passes the command to it. (jcmd's
 * JVMTI.agent_load cannot: it reads the {@code event=cpu} in the command as an argument of its own.)
 *
 *   java bench/ApAttach.java PID LIBRARY COMMAND      e.g. start,event=cpu,interval=100000,threads
 */
public final class ApAttach {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
