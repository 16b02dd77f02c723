/// PresenceServer: see docs/ARCHITECTURE.md. (Skeleton: the component is being written.)
public enum PresenceServerComponent {}
