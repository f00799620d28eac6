namespace ReplDash.Web.Store; public class Placeholder {}
