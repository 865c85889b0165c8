export const sessionSecret: string = "nB4vC8xZ2lK6jH0gF3dS7aQ9wE5rT1yU";
