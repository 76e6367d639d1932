package io.chatvault.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free local port that forwards to a server until it is cut: then every
 * connection through it is closed and new ones are refused, as when the server stops. A
 * test points a child process at the proxy to stop "its" database without stopping the
 * database the other tests share.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String host;

	private final int port;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean cut;

	/**
	 * Starts forwarding.
	 * @param host the server's host
	 * @param port the server's port
	 * @throws IOException if no local port can be opened
	 */
	public TcpProxy(String host, int port) throws IOException {
		this.host = host;
		this.port = port;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The local port to connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * A JDBC URL of the form {@code jdbc:postgresql://host:port/db?...} pointed at this
	 * proxy.
	 * @param jdbcUrl the server's URL
	 * @return the same URL through the proxy
	 */
	public String proxied(String jdbcUrl) {
		return jdbcUrl.replace("//" + this.host + ":" + this.port + "/", "//127.0.0.1:" + port() + "/");
	}

	/**
	 * The host and port of a {@code jdbc:postgresql://host:port/...} URL.
	 * @param jdbcUrl the URL
	 * @return a proxy to that server
	 * @throws IOException if no local port can be opened
	 */
	public static TcpProxy to(String jdbcUrl) throws IOException {
		String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
		String hostPort = rest.substring(0, rest.indexOf('/'));
		int colon = hostPort.lastIndexOf(':');
		return new TcpProxy(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
	}

	/** Closes every connection and refuses new ones, as a stopped server does. */
	public void cut() {
		this.cut = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closed either way
		}
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	@Override
	public void close() {
		cut();
	}

	private void accept() {
		while (!this.cut) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(this.host, this.port);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				// cut, or the server refused: the client sees its connection end
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
				}
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
