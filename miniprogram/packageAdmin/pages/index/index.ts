/**
 * Staff pages live in this subpackage so ordinary users never download them.
 * Hiding a page is not protection: every staff action is checked by role on the server.
 */
Component({})
